#include "vyre/json_document.h"

#include <set>
#include <vector>

#include "vyre/error.h"

namespace vyre {

using nlohmann::json;

std::string json_path_join(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string json_path_index(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

namespace {

// Builds the document as nlohmann/json's own DOM parser does, and keeps,
// for each open object or array, the keys seen and the current member, to
// name a repeated key by its path. (The library's parser callback would do,
// but its end_object scans the enclosing array: quadratic in the slots.)
class StrictDomParser {
 public:
  StrictDomParser(json& result, std::string_view source) : dom_(result, true), source_(source) {}

  bool null() { return scalar(dom_.null()); }
  bool boolean(bool v) { return scalar(dom_.boolean(v)); }
  bool number_integer(json::number_integer_t v) { return scalar(dom_.number_integer(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar(dom_.number_unsigned(v)); }
  bool number_float(json::number_float_t v, const json::string_t& text) { return scalar(dom_.number_float(v, text)); }
  bool string(json::string_t& v) { return scalar(dom_.string(v)); }
  bool binary(json::binary_t& v) { return scalar(dom_.binary(v)); }
  bool start_object(size_t n) {
    open(true);
    return dom_.start_object(n);
  }
  bool start_array(size_t n) {
    open(false);
    return dom_.start_array(n);
  }
  bool key(json::string_t& key) {
    Frame& f = frames_[depth_ - 1];
    const bool twice = f.seen(key);
    f.key = key;
    if (twice)
      throw Error::invalid_input(std::string(source_) + ": " + path(), "key \"" + key + "\" appears twice in this object",
                                 "keep one of them (JSON readers disagree on which one counts)");
    return dom_.key(key);
  }
  bool end_object() { return end(dom_.end_object()); }
  bool end_array() { return end(dom_.end_array()); }
  template <class Exception>
  bool parse_error(size_t position, const std::string& token, const Exception& e) {
    return dom_.parse_error(position, token, e);
  }

 private:
  struct Frame {
    bool object = false;
    // Objects have few keys: a short list is searched, a long one indexed.
    std::vector<std::string> keys;
    std::set<std::string> many;
    std::string key;  // the current member's key
    size_t index = 0;  // the current element's index
    bool seen(const std::string& k) {
      if (!many.empty()) return !many.insert(k).second;
      for (const auto& x : keys)
        if (x == k) return true;
      keys.push_back(k);
      if (keys.size() == 64) many.insert(keys.begin(), keys.end());
      return false;
    }
  };
  // Frames are reused as the parser goes up and down, so a million slot
  // objects cost no allocation each.
  void open(bool object) {
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.object = object;
    f.keys.clear();
    f.many.clear();
    f.index = 0;
  }
  std::string path() const {
    std::string p;
    for (size_t i = 0; i < depth_; ++i) {
      const Frame& f = frames_[i];
      p = f.object ? json_path_join(p, f.key) : json_path_index(p, f.index);
    }
    return p;
  }
  bool scalar(bool ok) {
    if (depth_ > 0 && !frames_[depth_ - 1].object) ++frames_[depth_ - 1].index;
    return ok;
  }
  bool end(bool ok) {
    --depth_;
    return scalar(ok);
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::string_view source_;
  std::vector<Frame> frames_;
  size_t depth_ = 0;
};

std::string without_prefix(const std::string& what) {
  const auto pos = what.find("] ");
  return pos == std::string::npos ? what : what.substr(pos + 2);
}

}  // namespace

json parse_json_document(std::string_view text, std::string_view source) {
  try {
    json doc;
    StrictDomParser parser(doc, source);
    json::sax_parse(text.begin(), text.end(), &parser);
    return doc;
  } catch (const json::parse_error& e) {
    throw Error::invalid_input(std::string(source) + ": byte offset " + std::to_string(e.byte),
                               "invalid JSON: " + without_prefix(e.what()), "fix the JSON syntax at that position");
  } catch (const json::exception& e) {
    // Well-formed text the parser still refuses, e.g. a number beyond double
    // range such as 1E400 (found by fuzzing).
    throw Error::invalid_input(std::string(source) + ": (document)", "invalid JSON: " + without_prefix(e.what()),
                               "write numbers within the range of a u32 (or a double for other values)");
  }
}

}  // namespace vyre

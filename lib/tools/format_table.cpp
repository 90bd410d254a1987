#include "vyre/format_table.h"

#include <charconv>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "vyre/error.h"
#include "vyre/json_document.h"

namespace vyre {

namespace {

constexpr const char* kFormatFix =
    "placeholders are {0} {1} {2} {slot} {fmt}, optionally with :d :i :x :X :#x; write {{ and }} for braces";

std::optional<uint32_t> parse_id(const std::string& key) {
  uint32_t v = 0;
  const bool hex = key.size() > 2 && key[0] == '0' && (key[1] == 'x' || key[1] == 'X');
  const char* begin = key.data() + (hex ? 2 : 0);
  const char* end = key.data() + key.size();
  auto [ptr, ec] = std::from_chars(begin, end, v, hex ? 16 : 10);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return v;
}

std::string convert(uint32_t v, const std::string& conv) {
  char buf[32];
  if (conv.empty() || conv == "d") std::snprintf(buf, sizeof buf, "%u", v);
  else if (conv == "i") std::snprintf(buf, sizeof buf, "%d", static_cast<int32_t>(v));
  else if (conv == "x") std::snprintf(buf, sizeof buf, "%x", v);
  else if (conv == "X") std::snprintf(buf, sizeof buf, "%X", v);
  else std::snprintf(buf, sizeof buf, "0x%x", v);  // "#x"
  return buf;
}

}  // namespace

std::string plain_record_line(const DebugRecord& r) {
  return "slot " + std::to_string(r.slot()) + " fmt " + std::to_string(r.fmt_id) + ": " + std::to_string(r.args[0]) +
         " " + std::to_string(r.args[1]);
}

FormatTable FormatTable::parse_text(std::string_view text, std::string_view source) {
  const nlohmann::json doc = parse_json_document(text, source);
  const std::string src(source);
  if (!doc.is_object())
    throw Error::invalid_input(src + ": (document root)", std::string("expected an object mapping fmt ids to strings, got ") + doc.type_name(),
                               "write {\"7\": \"value {0} at slot {slot}\"}");
  FormatTable table;
  std::map<uint32_t, std::string> keys;  // "1" and "0x1" name the same id
  for (const auto& [key, value] : doc.items()) {
    const std::string where = src + ": \"" + key + "\"";
    if (key == "$schema" || key == "comment") continue;
    auto id = parse_id(key);
    if (!id) throw Error::invalid_input(where, "key is not a u32 fmt id", "use a decimal or 0x-hex fmt id as the key");
    if (const auto seen = keys.find(*id); seen != keys.end())
      throw Error::invalid_input(where, "fmt id " + std::to_string(*id) + " is already defined by key \"" + seen->second + "\"",
                                 "keep one definition per fmt id");
    keys.emplace(*id, key);
    if (!value.is_string())
      throw Error::invalid_input(where, std::string("expected a format string, got ") + value.type_name(), kFormatFix);
    const auto& fmt = value.get_ref<const std::string&>();
    std::vector<Piece> pieces;
    std::string literal;
    for (size_t i = 0; i < fmt.size(); ++i) {
      const char c = fmt[i];
      if (c == '}' ) {
        if (i + 1 < fmt.size() && fmt[i + 1] == '}') { literal += '}'; ++i; continue; }
        throw Error::invalid_input(where, "unmatched '}' at character " + std::to_string(i), kFormatFix);
      }
      if (c != '{') { literal += c; continue; }
      if (i + 1 < fmt.size() && fmt[i + 1] == '{') { literal += '{'; ++i; continue; }
      const size_t close = fmt.find('}', i);
      if (close == std::string::npos)
        throw Error::invalid_input(where, "unterminated placeholder at character " + std::to_string(i), kFormatFix);
      std::string name = fmt.substr(i + 1, close - i - 1), conv;
      if (auto colon = name.find(':'); colon != std::string::npos) {
        conv = name.substr(colon + 1);
        name = name.substr(0, colon);
        if (conv != "d" && conv != "i" && conv != "x" && conv != "X" && conv != "#x")
          throw Error::invalid_input(where, "unknown conversion \":" + conv + "\"", kFormatFix);
      }
      Piece p;
      if (name == "0" || name == "1" || name == "2") { p.kind = Piece::Kind::Word; p.word = name[0] - '0'; }
      else if (name == "slot") p.kind = Piece::Kind::Slot;
      else if (name == "fmt") p.kind = Piece::Kind::Fmt;
      else throw Error::invalid_input(where, "unknown placeholder {" + name + "}", kFormatFix);
      p.conversion = conv;
      if (!literal.empty()) pieces.push_back(Piece{Piece::Kind::Literal, 0, {}, std::move(literal)});
      literal.clear();
      pieces.push_back(std::move(p));
      i = close;
    }
    if (!literal.empty()) pieces.push_back(Piece{Piece::Kind::Literal, 0, {}, std::move(literal)});
    table.formats_[*id] = std::move(pieces);
  }
  return table;
}

std::optional<std::string> FormatTable::format(const DebugRecord& r) const {
  auto it = formats_.find(r.fmt_id);
  if (it == formats_.end()) return std::nullopt;
  std::string out;
  for (const auto& p : it->second) {
    switch (p.kind) {
      case Piece::Kind::Literal: out += p.literal; break;
      case Piece::Kind::Word: out += convert(r.args[p.word], p.conversion); break;
      case Piece::Kind::Slot: out += convert(r.slot(), p.conversion); break;
      case Piece::Kind::Fmt: out += convert(r.fmt_id, p.conversion); break;
    }
  }
  return out;
}

}  // namespace vyre

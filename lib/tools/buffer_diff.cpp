#include "vyre/buffer_diff.h"

#include <map>

#include "vyre/error.h"
#include "vyre/views.h"

namespace vyre {

using nlohmann::json;

namespace {

const std::map<std::string, std::set<std::string>>& ignorable() {
  static const std::map<std::string, std::set<std::string>> fields = {
      {"ring", {"status", "opcode", "tenant", "priority", "args"}},
      {"control",
       {"shutdown", "done_count", "tenant_base", "tenant_masks", "tenant_quotas", "tenant_fairness", "metrics", "epoch",
        "priority_offsets", "priority_starvation", "priority_fairness", "reserved", "observables"}},
      {"debug-log", {"cursor", "dropped", "records"}},
      {"io-queue", {"op", "src_handle", "dst_handle", "offset", "byte_count", "status", "tag"}},
      {"replay", {"capacity", "next_slot", "records"}},
  };
  return fields;
}

// Field-by-field comparison of two JSON objects (the decoded views), with
// arrays compared element by element so a change names its index.
void compare(const std::string& where, const std::string& prefix, const json& a, const json& b,
             std::vector<FieldDifference>& out) {
  if (a.is_object() && b.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : a.items()) keys.insert(k);
    for (const auto& [k, v] : b.items()) keys.insert(k);
    for (const auto& k : keys) {
      const std::string name = prefix.empty() ? k : prefix + "." + k;
      compare(where, name, a.contains(k) ? a[k] : json(nullptr), b.contains(k) ? b[k] : json(nullptr), out);
    }
  } else if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (size_t i = 0; i < a.size(); ++i) compare(where, prefix + "[" + std::to_string(i) + "]", a[i], b[i], out);
  } else if (a != b) {
    out.push_back({where, prefix, a, b});
  }
}

void multiset_diff(const json& a, const json& b, BufferDiff& d) {
  std::multiset<std::string> in_b;
  std::map<std::string, json> by_text;
  for (const auto& r : b) {
    in_b.insert(r.dump());
    by_text[r.dump()] = r;
  }
  for (const auto& r : a) {
    auto it = in_b.find(r.dump());
    if (it == in_b.end()) d.removed.push_back(r);
    else in_b.erase(it);
  }
  for (const auto& text : in_b) d.added.push_back(by_text[text]);
}

json without(json j, const std::set<std::string>& ignore, std::initializer_list<const char*> also = {}) {
  for (const auto& k : ignore) j.erase(k);
  for (const char* k : also) j.erase(k);
  return j;
}

}  // namespace

BufferDiff diff_buffers(const std::string& kind, ByteSpan a, ByteSpan b, const std::set<std::string>& ignore,
                        const std::string& name_a, const std::string& name_b) {
  const auto known = ignorable().find(kind);
  if (known == ignorable().end())
    throw Error::usage("unknown buffer kind \"" + kind + "\"", "use control, ring, debug-log, io-queue or replay");
  for (const auto& f : ignore)
    if (!known->second.count(f)) {
      std::string list;
      for (const auto& k : known->second) list += " " + k;
      throw Error::usage("--ignore " + f + " is not a field of a " + kind + " buffer", "use one of:" + list);
    }
  auto decode = [&](ByteSpan bytes, const std::string& which) -> json {
    try {
      if (kind == "ring") return ring_json(decode_ring(bytes), true);
      if (kind == "control") return control_json(decode_control(bytes));
      if (kind == "debug-log") return debug_log_json(decode_debug_log(bytes), nullptr);
      if (kind == "io-queue") return io_queue_json(decode_io_queue(bytes), true);
      return replay_json(ReplayLog::parse(bytes));
    } catch (const Error& e) {
      throw e.with_context(which);
    }
  };
  json ja = decode(a, name_a), jb = decode(b, name_b);
  if (kind == "control") {
    // The view lists non-zero metrics only; a metric one side lacks is 0.
    for (auto* pair : {&ja, &jb})
      for (const auto& [name, count] : (pair == &ja ? jb : ja)["metrics"].items())
        if (!(*pair)["metrics"].contains(name)) (*pair)["metrics"][name] = 0;
  }
  BufferDiff d;
  d.kind = kind;
  if (kind == "ring" || kind == "io-queue") {
    const std::string unit = kind == "ring" ? "slot " : "io slot ";
    const auto& sa = ja["slots"];
    const auto& sb = jb["slots"];
    if (sa.size() != sb.size()) d.changed.push_back({kind, "slot_count", sa.size(), sb.size()});
    // Status and opcode appear as a name and as a value: compare the values,
    // show the names.
    std::set<std::string> skip = ignore;
    if (kind == "ring" && ignore.count("status")) skip.insert("status_value");
    if (kind == "ring" && ignore.count("opcode")) skip.insert("opcode_value"), skip.insert("packed"), skip.insert("load_miss");
    if (kind == "io-queue" && ignore.count("status")) skip.insert("status_value");
    if (kind == "io-queue" && ignore.count("op")) skip.insert("op_value");
    for (size_t i = 0; i < std::min(sa.size(), sb.size()); ++i) {
      json x = without(sa[i], skip, {"slot", "status_value", "opcode_value", "op_value", "packed", "load_miss"});
      json y = without(sb[i], skip, {"slot", "status_value", "opcode_value", "op_value", "packed", "load_miss"});
      compare(unit + std::to_string(i), "", x, y, d.changed);
    }
  } else if (kind == "control") {
    compare("control", "", without(ja, ignore, {"kind", "byte_len", "shutdown_word", "reserved_nonzero", "observable_count"}),
            without(jb, ignore, {"kind", "byte_len", "shutdown_word", "reserved_nonzero", "observable_count"}), d.changed);
    if (!ignore.count("reserved")) compare("control", "reserved", ja["reserved_nonzero"], jb["reserved_nonzero"], d.changed);
  } else {
    compare(kind, "", without(ja, ignore, {"kind", "byte_len", "records", "partial_record"}),
            without(jb, ignore, {"kind", "byte_len", "records", "partial_record"}), d.changed);
    if (!ignore.count("records")) multiset_diff(ja["records"], jb["records"], d);
  }
  return d;
}

std::string buffer_diff_text(const BufferDiff& d) {
  std::string out;
  for (const auto& c : d.changed) out += c.where + ": " + c.field + " " + c.a.dump() + " -> " + c.b.dump() + "\n";
  for (const auto& r : d.removed) out += "- " + d.kind + " record " + r.dump() + "\n";
  for (const auto& r : d.added) out += "+ " + d.kind + " record " + r.dump() + "\n";
  return out;
}

json buffer_diff_json(const BufferDiff& d) {
  json changed = json::array();
  for (const auto& c : d.changed) changed.push_back({{"where", c.where}, {"field", c.field}, {"a", c.a}, {"b", c.b}});
  return {{"kind", d.kind}, {"equal", d.equal()}, {"changed", changed}, {"added", d.added}, {"removed", d.removed}};
}

}  // namespace vyre

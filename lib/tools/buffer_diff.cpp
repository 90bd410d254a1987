#include "vyre/buffer_diff.h"

#include <cstring>
#include <map>

#include "kind_diffs.h"
#include "vyre/buffer_views.h"
#include "vyre/error.h"
#include "vyre/views.h"

namespace vyre {

using nlohmann::json;

namespace {

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

// Rings and IO queues, slot by slot: only slots whose bytes differ are
// decoded. Status, opcode and IO op appear as a name and as a value: the
// values are compared through the names (both change together).
template <typename SlotJson>
void diff_slots(ByteSpan a, ByteSpan b, uint64_t slot_bytes, const char* unit, const std::set<std::string>& ignore,
                std::set<std::string> skip, SlotJson slot_json_at, BufferDiff& d) {
  const uint64_t na = a.size() / slot_bytes, nb = b.size() / slot_bytes;
  if (na != nb) d.changed.push_back({d.kind, "slot_count", na, nb});
  skip.insert(ignore.begin(), ignore.end());
  for (const char* k : {"slot", "status_value", "opcode_value", "op_value", "packed", "load_miss"}) skip.insert(k);
  for (uint64_t i = 0; i < std::min(na, nb); ++i) {
    if (std::memcmp(a.data() + i * slot_bytes, b.data() + i * slot_bytes, slot_bytes) == 0) continue;
    compare(unit + std::to_string(i), "", without(slot_json_at(a, i), skip), without(slot_json_at(b, i), skip), d.changed);
  }
}

}  // namespace

namespace detail {

// Rings field by field, straight from the decoded slots: the differences
// diff_slots would find through the slots' JSON (fields in the same,
// alphabetical order: args[i], opcode, priority, status, tenant), without
// building two JSON objects per differing slot.
void diff_rings(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& d) {
  validate_ring_bytes(a);
  validate_ring_bytes(b);
  const uint64_t na = a.size() / protocol::SLOT_BYTES, nb = b.size() / protocol::SLOT_BYTES;
  if (na != nb) d.changed.push_back({d.kind, "slot_count", na, nb});
  const bool args = !ignore.count("args"), opcode = !ignore.count("opcode"), priority = !ignore.count("priority"),
             status = !ignore.count("status"), tenant = !ignore.count("tenant");
  for (uint64_t i = 0; i < std::min(na, nb); ++i) {
    const uint64_t off = i * protocol::SLOT_BYTES;
    if (std::memcmp(a.data() + off, b.data() + off, protocol::SLOT_BYTES) == 0) continue;
    const SlotView x = decode_slot(a, static_cast<uint32_t>(i)), y = decode_slot(b, static_cast<uint32_t>(i));
    const std::string where = "slot " + std::to_string(i);
    if (args)
      for (size_t k = 0; k < x.args.size(); ++k)
        if (x.args[k] != y.args[k]) d.changed.push_back({where, "args[" + std::to_string(k) + "]", x.args[k], y.args[k]});
    if (opcode && x.opcode != y.opcode) d.changed.push_back({where, "opcode", opcode_json(x.opcode), opcode_json(y.opcode)});
    if (priority && x.priority != y.priority) d.changed.push_back({where, "priority", x.priority, y.priority});
    if (status && x.status != y.status) d.changed.push_back({where, "status", status_json(x.status), status_json(y.status)});
    if (tenant && x.tenant != y.tenant) d.changed.push_back({where, "tenant", x.tenant, y.tenant});
  }
}

void diff_io_queues(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& d) {
  const IoQueueView qa = decode_io_queue(a), qb = decode_io_queue(b);
  diff_slots(a, b, protocol::io::IO_SLOT_BYTES, "io slot ", ignore, {},
             [&](ByteSpan q, uint64_t i) { return io_slot_json((q.data() == a.data() ? qa : qb).slots[i]); }, d);
}

void diff_controls(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& d) {
  json ja = control_json(decode_control(a)), jb = control_json(decode_control(b));
  // The view lists non-zero metrics only; a metric one side lacks is 0.
  for (auto* pair : {&ja, &jb})
    for (const auto& [name, count] : (pair == &ja ? jb : ja)["metrics"].items())
      if (!(*pair)["metrics"].contains(name)) (*pair)["metrics"][name] = 0;
  compare("control", "", without(ja, ignore, {"kind", "byte_len", "shutdown_word", "reserved_nonzero", "observable_count"}),
          without(jb, ignore, {"kind", "byte_len", "shutdown_word", "reserved_nonzero", "observable_count"}), d.changed);
  if (!ignore.count("reserved")) compare("control", "reserved", ja["reserved_nonzero"], jb["reserved_nonzero"], d.changed);
}

namespace {
void diff_records(const json& ja, const json& jb, const std::set<std::string>& ignore, BufferDiff& d) {
  compare(d.kind, "", without(ja, ignore, {"kind", "byte_len", "records", "partial_record"}),
          without(jb, ignore, {"kind", "byte_len", "records", "partial_record"}), d.changed);
  if (!ignore.count("records")) multiset_diff(ja["records"], jb["records"], d);
}
}  // namespace

void diff_debug_logs(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& d) {
  diff_records(debug_log_json(decode_debug_log(a), nullptr), debug_log_json(decode_debug_log(b), nullptr), ignore, d);
}

void diff_replay_logs(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& d) {
  diff_records(replay_json(ReplayLog::parse(a)), replay_json(ReplayLog::parse(b)), ignore, d);
}

}  // namespace detail

BufferDiff diff_buffers(BufferKind kind, ByteSpan a, ByteSpan b, const std::set<std::string>& ignore,
                        const std::string& name_a, const std::string& name_b) {
  const BufferKindView& view = buffer_view(kind);
  const std::string kind_name(buffer_kind_info(kind).name);
  for (const auto& f : ignore) {
    bool known = false;
    std::string list;
    for (std::string_view k : view.fields) {
      known = known || k == f;
      list.append(" ").append(k);
    }
    if (!known) throw Error::usage("--ignore " + f + " is not a field of a " + kind_name + " buffer", "use one of:" + list);
  }
  // Each side is checked on its own first, so an error names its buffer.
  check_buffer(kind, a, name_a);
  check_buffer(kind, b, name_b);
  BufferDiff d;
  d.kind = kind_name;
  if (a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0) return d;
  view.diff(a, b, ignore, d);
  return d;
}

std::string buffer_diff_text(const BufferDiff& d) {
  std::string out;
  for (const auto& c : d.changed) out += c.where + ": " + c.field + " " + c.a.dump() + " -> " + c.b.dump() + "\n";
  for (const auto& r : d.removed) out += "- " + d.kind + " record " + r.dump() + "\n";
  for (const auto& r : d.added) out += "+ " + d.kind + " record " + r.dump() + "\n";
  return out;
}

std::string buffer_diff_json_line(const BufferDiff& d) {
  // Keys in nlohmann/json's order (sorted): added, changed, equal, kind, removed.
  std::string out = "{\"added\":" + json(d.added).dump() + ",\"changed\":[";
  out.reserve(out.size() + d.changed.size() * 72);
  for (size_t i = 0; i < d.changed.size(); ++i) {
    const FieldDifference& c = d.changed[i];
    if (i) out += ',';
    out += "{\"a\":" + c.a.dump() + ",\"b\":" + c.b.dump() + ",\"field\":" + json(c.field).dump() +
           ",\"where\":" + json(c.where).dump() + "}";
  }
  out += "],\"equal\":" + std::string(d.equal() ? "true" : "false") + ",\"kind\":" + json(d.kind).dump() +
         ",\"removed\":" + json(d.removed).dump() + "}\n";
  return out;
}

json buffer_diff_json(const BufferDiff& d) {
  json changed = json::array();
  for (const auto& c : d.changed) changed.push_back({{"where", c.where}, {"field", c.field}, {"a", c.a}, {"b", c.b}});
  return {{"kind", d.kind}, {"equal", d.equal()}, {"changed", changed}, {"added", d.added}, {"removed", d.removed}};
}

}  // namespace vyre

#include <charconv>
#include <cstdio>

#include "vyre/packed_slot.h"
#include "vyre/views.h"

namespace vyre {

using nlohmann::json;
namespace ctl = protocol::control;

std::string metric_label(uint32_t slot) {
  if (auto n = protocol::opcode::name(slot)) return std::string(*n);
  return "opcode_" + std::to_string(slot);
}

json opcode_json(uint32_t opcode) {
  if (auto n = protocol::opcode::name(opcode)) return std::string(*n);
  return opcode;
}

json status_json(uint32_t status) {
  if (auto n = protocol::status_name(status)) return std::string(*n);
  return status;
}

json slot_json(const SlotView& s) {
  json j = {{"slot", s.index},
            {"status", status_json(s.status)},
            {"status_value", s.status},
            {"opcode", opcode_json(s.opcode)},
            {"opcode_value", s.opcode},
            {"tenant", s.tenant},
            {"priority", s.priority},
            {"args", s.args}};
  if (s.opcode == protocol::opcode::PACKED_SLOT) {
    const PackedView p = decode_packed(s.args);
    json ops = json::array();
    for (const auto& op : p.ops) {
      json o = {{"opcode", opcode_json(op.opcode)}, {"opcode_value", op.opcode}, {"arg_offset", op.arg_offset},
                {"args", op.args},                  {"executed", op.executed}};
      if (op.executed) o["kernel_args"] = op.kernel_args;
      ops.push_back(std::move(o));
    }
    j["packed"] = {{"op_count", p.op_count}, {"arg_words", p.arg_words}, {"metadata_words", p.metadata_words}, {"ops", ops}};
  } else if (s.opcode == protocol::opcode::LOAD_MISS) {
    j["load_miss"] = {{"resource_id", s.args[0]}, {"prefetch", s.args[1] != 0}};
  }
  return j;
}

json status_counts_json(const StatusCounts& counts) {
  json out = json::object();
  for (uint32_t st = protocol::slot::EMPTY; st <= protocol::slot::FAULT; ++st) out[status_label(st)] = counts.by_status[st];
  out["other"] = counts.other;
  return out;
}

json status_counts_json(const RingView& ring) { return status_counts_json(count_statuses(ring)); }

json ring_json(ByteSpan ring, std::span<const uint32_t> slots) {
  json items = json::array();
  for (const uint32_t i : slots) items.push_back(slot_json(decode_slot(ring, i)));
  return {{"kind", "ring"},
          {"byte_len", ring.size()},
          {"slot_count", ring.size() / protocol::SLOT_BYTES},
          {"status_counts", status_counts_json(count_statuses(ring))},
          {"slots", std::move(items)}};
}

namespace {

void append_number(std::string& out, uint64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// A protocol name (letters, digits and underscores: nothing to escape) as a
// JSON string, or the value as a number: what status_json and opcode_json give.
void append_name_or_number(std::string& out, std::optional<std::string_view> name, uint32_t value) {
  if (name) out.append("\"").append(*name).append("\"");
  else append_number(out, value);
}

// slot_json(s).dump(), written straight: nlohmann/json sorts the keys, so
// the order below is the alphabetical one. Slots with nested objects
// (PACKED_SLOT, LOAD_MISS) go through slot_json.
void append_slot_line(std::string& out, const SlotView& s) {
  if (s.opcode == protocol::opcode::PACKED_SLOT || s.opcode == protocol::opcode::LOAD_MISS) {
    out += slot_json(s).dump();
    return;
  }
  out += "{\"args\":[";
  for (size_t i = 0; i < s.args.size(); ++i) {
    if (i) out += ',';
    append_number(out, s.args[i]);
  }
  out += "],\"opcode\":";
  append_name_or_number(out, protocol::opcode::name(s.opcode), s.opcode);
  out += ",\"opcode_value\":";
  append_number(out, s.opcode);
  out += ",\"priority\":";
  append_number(out, s.priority);
  out += ",\"slot\":";
  append_number(out, s.index);
  out += ",\"status\":";
  append_name_or_number(out, protocol::status_name(s.status), s.status);
  out += ",\"status_value\":";
  append_number(out, s.status);
  out += ",\"tenant\":";
  append_number(out, s.tenant);
  out += '}';
}

}  // namespace

std::string slot_json_line(const SlotView& slot) {
  std::string out;
  append_slot_line(out, slot);
  return out;
}

std::string ring_json_lines(ByteSpan ring, std::span<const uint32_t> slots) {
  std::string out;
  out.reserve(slots.size() * 168);  // a line of small numbers is about 150 bytes
  for (const uint32_t i : slots) {
    append_slot_line(out, decode_slot(ring, i));
    out += '\n';
  }
  return out;
}

json control_json(const ControlView& c) {
  json metrics = json::object();
  for (uint32_t i = 0; i < c.metrics.size(); ++i)
    if (c.metrics[i] != 0) metrics[metric_label(i)] = c.metrics[i];
  json reserved = json::array();
  for (const auto& [word, value] : c.reserved_nonzero) reserved.push_back({{"word", word}, {"value", value}});
  return {{"kind", "control"},
          {"byte_len", c.byte_len},
          {"shutdown", c.shutdown != 0},
          {"shutdown_word", c.shutdown},
          {"done_count", c.done_count},
          {"epoch", c.epoch},
          {"tenant_base", c.tenant_base},
          {"tenant_masks", c.tenant_masks},
          {"tenant_quotas", c.tenant_quotas},
          {"tenant_fairness", c.tenant_fairness},
          {"metrics", metrics},
          {"priority_offsets", c.priority_offsets},
          {"priority_starvation", c.priority_starvation},
          {"priority_fairness", c.priority_fairness},
          {"reserved_nonzero", reserved},
          {"observable_count", c.observables.size()},
          {"observables", c.observables}};
}

namespace {
json debug_record_json(const DebugRecord& r, const FormatTable* formats) {
  json j = {{"fmt_id", r.fmt_id}, {"args", r.args}, {"slot", r.slot()}};
  if (formats)
    if (auto text = formats->format(r)) j["text"] = *text;
  return j;
}
}  // namespace

json debug_log_json(const DebugLogView& log, const FormatTable* formats, RecordRange range) {
  json records = json::array();
  const auto [first, last] = resolve_records(range, log.records.size());
  for (uint64_t i = first; i < last; ++i) records.push_back(debug_record_json(log.records[i], formats));
  return {{"kind", "debug-log"},
          {"byte_len", log.byte_len},
          {"cursor", log.cursor},
          {"capacity", log.capacity_records},
          {"dropped", log.dropped},
          {"partial_record", log.partial_record},
          {"records", std::move(records)}};
}

std::string debug_log_json_lines(const DebugLogView& log, const FormatTable* formats, RecordRange range) {
  std::string out;
  const auto [first, last] = resolve_records(range, log.records.size());
  for (uint64_t i = first; i < last; ++i) out += debug_record_json(log.records[i], formats).dump() + "\n";
  return out;
}

json io_slot_json(const IoSlotView& s) {
  json op = s.op_type;
  if (auto n = protocol::io::op_name(s.op_type)) op = std::string(*n);
  json st = s.status;
  if (auto n = protocol::io::status_name(s.status)) st = std::string(*n);
  return {{"slot", s.index},
          {"op", op},
          {"op_value", s.op_type},
          {"src_handle", s.src_handle},
          {"dst_handle", s.dst_handle},
          {"offset", s.offset},
          {"byte_count", s.byte_count},
          {"status", st},
          {"status_value", s.status},
          {"tag", s.tag}};
}

json io_queue_json(const IoQueueView& q, std::span<const uint32_t> slots) {
  json items = json::array();
  for (const uint32_t i : slots) items.push_back(io_slot_json(q.slots.at(i)));
  return {{"kind", "io-queue"}, {"byte_len", q.byte_len}, {"slot_count", q.slots.size()}, {"slots", std::move(items)}};
}

std::string io_queue_json_lines(const IoQueueView& q, std::span<const uint32_t> slots) {
  std::string out;
  for (const uint32_t i : slots) out += io_slot_json(q.slots.at(i)).dump() + "\n";
  return out;
}

namespace {
json recorded_slot_json(const RecordedSlot& r) {
  return {{"timestamp_ns", r.timestamp_ns}, {"slot", r.slot_idx}, {"tenant", r.tenant_id}, {"opcode", opcode_json(r.opcode)},
          {"opcode_value", r.opcode},       {"args", r.args},     {"epoch", r.epoch}};
}
}  // namespace

json replay_json(const ReplayLog& log, RecordRange range) {
  json records = json::array();
  const auto all = log.records();
  const auto [first, last] = resolve_records(range, all.size());
  for (uint64_t i = first; i < last; ++i) records.push_back(recorded_slot_json(all[i]));
  return {{"kind", "replay"},
          {"byte_len", log.bytes().size()},
          {"capacity", log.capacity()},
          {"next_slot", log.next_slot()},
          {"flags", log.flags()},
          {"records", std::move(records)}};
}

std::string replay_json_lines(const ReplayLog& log, RecordRange range) {
  std::string out;
  const auto all = log.records();
  const auto [first, last] = resolve_records(range, all.size());
  for (uint64_t i = first; i < last; ++i) out += recorded_slot_json(all[i]).dump() + "\n";
  return out;
}

}  // namespace vyre

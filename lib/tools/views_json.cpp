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

json status_counts_json(const RingView& ring) {
  const StatusCounts counts = count_statuses(ring);
  json out = json::object();
  for (uint32_t st = protocol::slot::EMPTY; st <= protocol::slot::FAULT; ++st) out[status_label(st)] = counts.by_status[st];
  out["other"] = counts.other;
  return out;
}

json ring_json(const RingView& ring, bool all) {
  json slots = json::array();
  for (const auto& s : ring.slots)
    if (all || s.status != protocol::slot::EMPTY) slots.push_back(slot_json(s));
  return {{"kind", "ring"},
          {"byte_len", ring.byte_len},
          {"slot_count", ring.slot_count},
          {"status_counts", status_counts_json(ring)},
          {"slots", std::move(slots)}};
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

json debug_log_json(const DebugLogView& log, const FormatTable* formats) {
  json records = json::array();
  for (const auto& r : log.records) {
    json j = {{"fmt_id", r.fmt_id}, {"args", r.args}, {"slot", r.slot()}};
    if (formats)
      if (auto text = formats->format(r)) j["text"] = *text;
    records.push_back(std::move(j));
  }
  return {{"kind", "debug-log"},
          {"byte_len", log.byte_len},
          {"cursor", log.cursor},
          {"capacity", log.capacity_records},
          {"dropped", log.dropped},
          {"partial_record", log.partial_record},
          {"records", std::move(records)}};
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

json io_queue_json(const IoQueueView& q, bool all) {
  json slots = json::array();
  for (const auto& s : q.slots)
    if (all || s.status != protocol::slot::EMPTY) slots.push_back(io_slot_json(s));
  return {{"kind", "io-queue"}, {"byte_len", q.byte_len}, {"slot_count", q.slots.size()}, {"slots", std::move(slots)}};
}

json replay_json(const ReplayLog& log) {
  json records = json::array();
  for (const auto& r : log.records())
    records.push_back({{"timestamp_ns", r.timestamp_ns},
                       {"slot", r.slot_idx},
                       {"tenant", r.tenant_id},
                       {"opcode", opcode_json(r.opcode)},
                       {"opcode_value", r.opcode},
                       {"args", r.args},
                       {"epoch", r.epoch}});
  return {{"kind", "replay"},
          {"byte_len", log.bytes().size()},
          {"capacity", log.capacity()},
          {"next_slot", log.next_slot()},
          {"flags", log.flags()},
          {"records", std::move(records)}};
}

}  // namespace vyre

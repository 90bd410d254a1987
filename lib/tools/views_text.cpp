#include <cstdarg>
#include <cstdio>

#include "vyre/packed_slot.h"
#include "vyre/views.h"

namespace vyre {

namespace {

void appendf(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string& out, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) out.append(buf, std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1));
}

// Arguments up to the last non-zero word: trailing zeros are the publisher's
// clearing, not data.
template <typename Words>
std::string words_text(const Words& words) {
  size_t n = words.size();
  while (n > 0 && words[n - 1] == 0) --n;
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? " " : "") + std::to_string(words[i]);
  return out.empty() ? "-" : out;
}

}  // namespace

namespace {

void append_ring_row(std::string& out, const SlotView& s) {
  appendf(out, "%8u  %-9s  %-12s  %10u  %-8s  %s\n", s.index, status_label(s.status).c_str(), opcode_label(s.opcode).c_str(),
          s.tenant, priority_label(s.priority).c_str(), words_text(s.args).c_str());
  if (s.opcode == protocol::opcode::PACKED_SLOT) {
    const PackedView p = decode_packed(s.args);
    for (size_t i = 0; i < p.ops.size(); ++i)
      appendf(out, "%8s  packed[%zu] %-12s @%u: %s%s\n", "", i, opcode_label(p.ops[i].opcode).c_str(),
              p.ops[i].arg_offset, words_text(p.ops[i].args).c_str(), p.ops[i].executed ? "" : "  (not executed)");
  } else if (s.opcode == protocol::opcode::LOAD_MISS) {
    appendf(out, "%8s  load-miss resource %u%s\n", "", s.args[0], s.args[1] ? " (prefetch)" : "");
  }
}

}  // namespace

std::string ring_text(ByteSpan ring, std::span<const uint32_t> slots) {
  std::string out;
  const StatusCounts counts = count_statuses(ring);
  const uint64_t slot_count = ring.size() / protocol::SLOT_BYTES;
  appendf(out, "ring: %llu slots (%llu bytes)", static_cast<unsigned long long>(slot_count),
          static_cast<unsigned long long>(ring.size()));
  for (uint32_t st = 0; st <= protocol::slot::FAULT; ++st)
    if (counts.by_status[st])
      appendf(out, ", %llu %s", static_cast<unsigned long long>(counts.by_status[st]), status_label(st).c_str());
  if (counts.other) appendf(out, ", %llu with unknown status", static_cast<unsigned long long>(counts.other));
  out += "\n";
  appendf(out, "%8s  %-9s  %-12s  %10s  %-8s  %s\n", "slot", "status", "opcode", "tenant", "priority", "args");
  out.reserve(out.size() + slots.size() * 64);
  for (const uint32_t i : slots) append_ring_row(out, decode_slot(ring, i));
  return out;
}

std::string control_text(const ControlView& c) {
  std::string out;
  appendf(out, "control: %llu bytes, %zu observables\n", static_cast<unsigned long long>(c.byte_len),
          c.observables.size());
  appendf(out, "  shutdown     %u\n  done_count   %u\n  epoch        %u\n  tenant_base  %u\n", c.shutdown,
          c.done_count, c.epoch, c.tenant_base);
  out += "  tenants (mask / quota / fairness):\n";
  for (uint32_t t = 0; t < c.tenant_quotas.size(); ++t) {
    const bool has_mask = t < c.tenant_masks.size();
    const uint32_t mask = has_mask ? c.tenant_masks[t] : 0;
    if (mask == 0 && c.tenant_quotas[t] == 0 && c.tenant_fairness[t] == 0) continue;
    if (has_mask) appendf(out, "    %2u  0x%08X  %10u  %u\n", t, mask, c.tenant_quotas[t], c.tenant_fairness[t]);
    else appendf(out, "    %2u  %10s  %10u  %u\n", t, "(no mask)", c.tenant_quotas[t], c.tenant_fairness[t]);
  }
  out += "  metrics:\n";
  bool any = false;
  for (uint32_t i = 0; i < c.metrics.size(); ++i)
    if (c.metrics[i]) {
      appendf(out, "    %-14s %u\n", metric_label(i).c_str(), c.metrics[i]);
      any = true;
    }
  if (!any) out += "    (none)\n";
  out += "  priority offsets: ";
  for (size_t i = 0; i < c.priority_offsets.size(); ++i) appendf(out, "%s%u", i ? " " : "", c.priority_offsets[i]);
  appendf(out, "\n  priority starvation %u, fairness %u %u %u %u %u\n", c.priority_starvation, c.priority_fairness[0],
          c.priority_fairness[1], c.priority_fairness[2], c.priority_fairness[3], c.priority_fairness[4]);
  for (const auto& [word, value] : c.reserved_nonzero) appendf(out, "  reserved word %u = %u\n", word, value);
  out += "  observables:\n";
  any = false;
  for (size_t i = 0; i < c.observables.size(); ++i)
    if (c.observables[i]) {
      appendf(out, "    [%zu] %u\n", i, c.observables[i]);
      any = true;
    }
  if (!any) out += "    (all zero)\n";
  return out;
}

std::string debug_log_text(const DebugLogView& log, const FormatTable* formats, RecordRange range) {
  std::string out;
  const auto [first, last] = resolve_records(range, log.records.size());
  for (uint64_t i = first; i < last; ++i) {
    const DebugRecord& r = log.records[i];
    std::optional<std::string> text;
    if (formats) text = formats->format(r);
    out += text ? *text : plain_record_line(r);
    out += "\n";
  }
  return out;
}

std::optional<std::string> debug_log_overflow_note(const DebugLogView& log, std::string_view source) {
  if (log.dropped == 0) return std::nullopt;
  return std::string(source) + ": log overflowed: " + std::to_string(log.dropped) + " record(s) dropped after the " +
         std::to_string(log.capacity_records) + "-record capacity";
}

std::string io_queue_text(const IoQueueView& q, std::span<const uint32_t> slots) {
  std::string out;
  appendf(out, "io-queue: %zu slots (%llu bytes)\n", q.slots.size(), static_cast<unsigned long long>(q.byte_len));
  appendf(out, "%4s  %-9s  %-6s  %10s  %10s  %20s  %10s  %10s\n", "slot", "status", "op", "src", "dst", "offset",
          "bytes", "tag");
  for (const uint32_t i : slots) {
    const IoSlotView& s = q.slots.at(i);
    auto op = protocol::io::op_name(s.op_type);
    auto st = protocol::io::status_name(s.status);
    appendf(out, "%4u  %-9s  %-6s  %10u  %10u  %20llu  %10u  %10u\n", s.index,
            st ? std::string(*st).c_str() : std::to_string(s.status).c_str(),
            op ? std::string(*op).c_str() : std::to_string(s.op_type).c_str(), s.src_handle, s.dst_handle,
            static_cast<unsigned long long>(s.offset), s.byte_count, s.tag);
  }
  return out;
}

std::string replay_text(const ReplayLog& log, RecordRange range) {
  std::string out;
  const auto records = log.records();
  appendf(out, "replay log VRRL0001: capacity %llu, next_slot %llu, %zu live records\n",
          static_cast<unsigned long long>(log.capacity()), static_cast<unsigned long long>(log.next_slot()),
          records.size());
  appendf(out, "%20s  %6s  %8s  %10s  %-12s  %s\n", "timestamp_ns", "epoch", "slot", "tenant", "opcode", "args");
  const auto [first, last] = resolve_records(range, records.size());
  for (uint64_t i = first; i < last; ++i) {
    const RecordedSlot& r = records[i];
    appendf(out, "%20llu  %6u  %8u  %10u  %-12s  %u %u %u %u\n", static_cast<unsigned long long>(r.timestamp_ns),
            r.epoch, r.slot_idx, r.tenant_id, opcode_label(r.opcode).c_str(), r.args[0], r.args[1], r.args[2],
            r.args[3]);
  }
  return out;
}

}  // namespace vyre

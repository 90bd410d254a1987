#include "vyre/buffer_views.h"

#include <array>

#include "kind_diffs.h"
#include "vyre/views.h"

namespace vyre {

namespace {

using nlohmann::json;

constexpr std::string_view kRingFields[] = {"status", "opcode", "tenant", "priority", "args"};
constexpr std::string_view kControlFields[] = {"shutdown",         "done_count",          "tenant_base",
                                               "tenant_masks",     "tenant_quotas",       "tenant_fairness",
                                               "metrics",          "epoch",               "priority_offsets",
                                               "priority_starvation", "priority_fairness", "reserved",
                                               "observables"};
constexpr std::string_view kDebugLogFields[] = {"cursor", "dropped", "records"};
constexpr std::string_view kIoQueueFields[] = {"op", "src_handle", "dst_handle", "offset", "byte_count", "status", "tag"};
constexpr std::string_view kReplayFields[] = {"capacity", "next_slot", "records"};

std::vector<uint32_t> ring_slots(ByteSpan b, const ViewOptions& o) { return select_ring_slots(b, o.selection, true); }
std::vector<uint32_t> io_slots(ByteSpan b, const ViewOptions& o) { return select_io_slots(b, o.selection, true); }

const std::array<BufferKindView, 5> kViews = {{
    {BufferKind::Control, [](ByteSpan b, const ViewOptions&) { return control_json(decode_control(b)); },
     [](ByteSpan b, const ViewOptions&) { return control_text(decode_control(b)); },
     [](ByteSpan b, const ViewOptions&) { return control_json(decode_control(b)).dump() + "\n"; }, nullptr,
     kControlFields, detail::diff_controls},
    {BufferKind::Ring, [](ByteSpan b, const ViewOptions& o) { return ring_json(b, ring_slots(b, o)); },
     [](ByteSpan b, const ViewOptions& o) { return ring_text(b, ring_slots(b, o)); },
     [](ByteSpan b, const ViewOptions& o) { return ring_json_lines(b, ring_slots(b, o)); },
     [](ByteSpan b, const ViewOptions& o) { return count_ring_slots(b, select_ring_slots(b, o.selection, false)); },
     kRingFields, detail::diff_rings},
    {BufferKind::DebugLog,
     [](ByteSpan b, const ViewOptions& o) { return debug_log_json(decode_debug_log(b), o.formats, o.selection.records); },
     [](ByteSpan b, const ViewOptions& o) { return debug_log_text(decode_debug_log(b), o.formats, o.selection.records); },
     [](ByteSpan b, const ViewOptions& o) {
       return debug_log_json_lines(decode_debug_log(b), o.formats, o.selection.records);
     },
     nullptr, kDebugLogFields, detail::diff_debug_logs},
    {BufferKind::IoQueue, [](ByteSpan b, const ViewOptions& o) { return io_queue_json(decode_io_queue(b), io_slots(b, o)); },
     [](ByteSpan b, const ViewOptions& o) { return io_queue_text(decode_io_queue(b), io_slots(b, o)); },
     [](ByteSpan b, const ViewOptions& o) { return io_queue_json_lines(decode_io_queue(b), io_slots(b, o)); },
     [](ByteSpan b, const ViewOptions& o) { return count_io_slots(b, select_io_slots(b, o.selection, false)); },
     kIoQueueFields, detail::diff_io_queues},
    {BufferKind::Replay,
     [](ByteSpan b, const ViewOptions& o) { return replay_json(ReplayLog::parse(b), o.selection.records); },
     [](ByteSpan b, const ViewOptions& o) { return replay_text(ReplayLog::parse(b), o.selection.records); },
     [](ByteSpan b, const ViewOptions& o) { return replay_json_lines(ReplayLog::parse(b), o.selection.records); },
     nullptr, kReplayFields, detail::diff_replay_logs},
}};

}  // namespace

const BufferKindView& buffer_view(BufferKind kind) {
  for (const auto& v : kViews)
    if (v.kind == kind) return v;
  return kViews.front();
}

}  // namespace vyre

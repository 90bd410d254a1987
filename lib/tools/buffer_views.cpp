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

const std::array<BufferKindView, 5> kViews = {{
    {BufferKind::Control, [](ByteSpan b, const ViewOptions&) { return control_json(decode_control(b)); },
     [](ByteSpan b, const ViewOptions&) { return control_text(decode_control(b)); }, kControlFields,
     detail::diff_controls},
    {BufferKind::Ring, [](ByteSpan b, const ViewOptions& o) { return ring_json(decode_ring(b), o.all); },
     [](ByteSpan b, const ViewOptions& o) { return ring_text(decode_ring(b), o.all); }, kRingFields,
     detail::diff_rings},
    {BufferKind::DebugLog, [](ByteSpan b, const ViewOptions& o) { return debug_log_json(decode_debug_log(b), o.formats); },
     [](ByteSpan b, const ViewOptions& o) { return debug_log_text(decode_debug_log(b), o.formats); }, kDebugLogFields,
     detail::diff_debug_logs},
    {BufferKind::IoQueue, [](ByteSpan b, const ViewOptions& o) { return io_queue_json(decode_io_queue(b), o.all); },
     [](ByteSpan b, const ViewOptions& o) { return io_queue_text(decode_io_queue(b), o.all); }, kIoQueueFields,
     detail::diff_io_queues},
    {BufferKind::Replay, [](ByteSpan b, const ViewOptions&) { return replay_json(ReplayLog::parse(b)); },
     [](ByteSpan b, const ViewOptions&) { return replay_text(ReplayLog::parse(b)); }, kReplayFields,
     detail::diff_replay_logs},
}};

}  // namespace

const BufferKindView& buffer_view(BufferKind kind) {
  for (const auto& v : kViews)
    if (v.kind == kind) return v;
  return kViews.front();
}

}  // namespace vyre

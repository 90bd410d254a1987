#include "vyre/dispatch_report.h"

#include "vyre/views.h"

namespace vyre {

using nlohmann::json;

json dispatch_report_json(const DispatchResult& r, const DispatchOptions& options, double total_ms) {
  const ControlView control = decode_control(r.buffers.control);
  const RingView ring = decode_ring(r.ring());
  json metrics = json::object();
  for (uint32_t i = 0; i < control.metrics.size(); ++i)
    if (control.metrics[i] != 0) metrics[metric_label(i)] = control.metrics[i];
  json fault_slots = json::array();
  for (const auto& s : ring.slots)
    if (s.status == protocol::slot::FAULT) fault_slots.push_back(s.index);
  json io = json::array();
  for (const auto& s : r.io) {
    json j = {{"pass", s.pass},
              {"io_slot", s.io_slot},
              {"resource_id", s.resource_id},
              {"status", s.ok ? "OK" : "ERROR"},
              {"bytes", s.bytes}};
    j["file"] = s.file.empty() ? json(nullptr) : json(s.file);
    if (!s.ok) j["error"] = s.error;
    io.push_back(std::move(j));
  }
  json debug = debug_log_json(decode_debug_log(r.buffers.debug_log), nullptr);
  debug.erase("kind");
  const double kernel_s = r.timings.kernel_ms / 1e3;
  return {{"backend", r.backend},
          {"device", r.device},
          {"workgroup_size", r.workgroup_size},
          {"mode", options.mode == DispatchMode::Once ? "once" : "persistent"},
          {"max_iterations", options.mode == DispatchMode::Once ? 1 : options.max_iterations},
          {"launches", r.launches},
          {"passes", r.passes},
          {"slot_count", ring.slot_count},
          {"done_count", control.done_count},
          {"epoch", control.epoch},
          {"shutdown", control.shutdown != 0},
          {"metrics", metrics},
          {"observables", control.observables},
          {"status_counts", status_counts_json(ring)},
          {"faults", r.faults},
          {"fault_slots", fault_slots},
          {"debug", debug},
          {"io_requests", io},
          {"io_stalled", {{"waiting", r.io_stalled_waiting}, {"queue_full", r.io_stalled_queue_full}}},
          {"timings",
           {{"device_ms", r.timings.device_ms},
            {"build_ms", r.timings.build_ms},
            {"build_cache_hit", r.timings.build_cache_hit},
            {"transfer_ms", r.timings.transfer_ms},
            {"upload_ms", r.timings.upload_ms},
            {"kernel_ms", r.timings.kernel_ms},
            {"readback_ms", r.timings.readback_ms},
            {"total_ms", total_ms}}},
          {"slots_per_second", kernel_s > 0 ? json(ring.slot_count / kernel_s) : json(nullptr)}};
}

}  // namespace vyre

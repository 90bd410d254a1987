#include <algorithm>
#include <chrono>
#include <optional>

#include "vyre/control.h"
#include "vyre/dispatch_job.h"
#include "vyre/error.h"

namespace vyre {

BenchReport bench_dispatch(const DispatchInputs& inputs, uint32_t warmup, uint32_t repeat, const RunProgress& progress,
                           std::stop_token stop) {
  check_single_stdin(named_inputs(inputs));
  const CheckedBuffers base = load_dispatch_buffers(inputs);
  DispatchOptions options = dispatch_options(inputs, stop);
  // The runner (device, context, kernel build) is made once and timed apart.
  const auto t0 = std::chrono::steady_clock::now();
  auto runner = make_job_runner(inputs, backend_choice(inputs), stop);
  BenchReport report;
  report.tool = "vyre bench";
  report.subject = ring_display_name(inputs);
  report.backend = runner->backend_name();
  report.device = runner->device_name();
  report.work_unit = "slots";
  report.work_per_run = base.get().slot_count();
  report.repeat = repeat;
  report.warmup = warmup;
  report.setup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  report.series = {{"kernel_ms", "kernel launches, from profiling events (host clock on the reference backend)", {}},
                   {"wall_ms", "one dispatch: upload, launches, IO pump, read-back", {}}};
  // Where a device's wall time goes beside the kernel (the reference
  // interpreter moves nothing).
  const bool device = report.backend == "opencl";
  if (device) {
    report.series.push_back({"upload_ms", "the buffers to the device (overlapping the kernel in a one-pass dispatch of a large ring)", {}});
    report.series.push_back({"readback_ms", "the result back in host memory: the ring, or the change words applied to the host's copy", {}});
  }
  report.context = {{"mode", inputs.mode == DispatchMode::Once ? "once" : "persistent"},
                    {"max_iterations", inputs.max_iterations},
                    {"workgroup_size", runner->workgroup_size()},
                    {"ring_bytes", base.get().ring.size()}};

  // Every run starts from the same ring: the runner keeps it where its
  // uploads are fastest (pinned memory on OpenCL), as a server does.
  runner->keep_start(base.get());
  options.start_is_kept = true;
  // A run's ring is never read here (its done count is control's), so the
  // runner may leave it in its own memory. Not through a server, which
  // sends the ring back in the caller's copy.
  options.result_ring_in_runner = true;
  const auto [up, down] = runner->bytes_moved(BufferSizes::of(base.get()));
  const std::optional<TransferRates> bus = runner->measure_bus(std::max(up, down));

  const uint32_t total = warmup + repeat;
  uint32_t done_count = 0;
  for (uint32_t i = 0; i < total; ++i) {
    const DispatchResult r = run_dispatch(*runner, base, options);
    // Every run starts from the same buffers, so every run must drain the
    // same number of slots; a backend that does not is reported, not timed.
    const uint32_t done = read_done_count(r.buffers.control);
    if (i == 0) done_count = done;
    else if (done != done_count)
      throw Error::backend("run " + std::to_string(i) + " drained " + std::to_string(done) + " slots, run 0 drained " +
                               std::to_string(done_count),
                           "check the ring with vyre replay --compare reference");
    if (i >= warmup) {
      report.series[0].ms.push_back(r.timings.kernel_ms);
      report.series[1].ms.push_back(r.timings.total_ms);  // run_dispatch's own clock
      if (device) {
        report.series[2].ms.push_back(r.timings.upload_ms);
        report.series[3].ms.push_back(r.timings.readback_ms);
      }
    }
    if (progress) progress(i + 1, total, i < warmup);
  }
  report.context["done_count_per_run"] = done_count;
  if (bus)
    report.floor = BenchFloor{up, down, bus->host_to_device_gbps, bus->device_to_host_gbps,
                              sample_stats(report.series[0].ms).median};
  return report;
}

}  // namespace vyre

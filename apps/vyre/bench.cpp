#include <chrono>

#include "dispatch_inputs.h"
#include "subcommands.h"
#include "vyre/backend.h"
#include "vyre/bench_report.h"
#include "vyre/file_io.h"

namespace vyre::cli {

// Repeated dispatch of one ring from the same starting buffers: the runner
// (device, context, kernel build) is made once and timed apart; each run
// uploads, launches until the ring drains and reads back.
Runner setup_bench(CLI::App& cmd) {
  struct Options {
    DispatchInputs in;
    BenchOutputOptions out;
  };
  auto o = std::make_shared<Options>();
  add_dispatch_inputs(cmd, o->in, true);
  add_bench_output_options(cmd, o->out, 20, 2);
  return [o](std::stop_token stop) {
    check_dispatch_stdin(o->in);
    BenchWriter writer(o->out);
    const DispatchBuffers base = load_dispatch_buffers(o->in);
    const DispatchOptions options = dispatch_options(o->in, stop);
    const auto t0 = std::chrono::steady_clock::now();
    auto runner = make_pass_runner(backend_choice(o->in));
    BenchReport report;
    report.tool = "vyre bench";
    report.subject = ring_display_name(o->in);
    report.backend = runner->backend_name();
    report.device = runner->device_name();
    report.work_unit = "slots";
    report.work_per_run = base.slot_count();
    report.repeat = o->out.repeat;
    report.warmup = o->out.warmup;
    report.setup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    report.series = {{"kernel_ms", "kernel launches, from profiling events (host clock on the reference backend)", {}},
                     {"wall_ms", "one dispatch: upload, launches, IO pump, read-back", {}}};
    report.context = {{"mode", o->in.mode},
                      {"max_iterations", o->in.max_iterations},
                      {"workgroup_size", runner->workgroup_size()},
                      {"ring_bytes", base.ring.size()}};

    Progress progress("vyre bench: run", o->out.quiet);
    const uint32_t total = o->out.warmup + o->out.repeat;
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
      if (i >= o->out.warmup) {
        report.series[0].ms.push_back(r.timings.kernel_ms);
        report.series[1].ms.push_back(r.timings.total_ms);  // run_dispatch's own clock
      }
      progress.update(i + 1, total, i < o->out.warmup ? "(warm-up)" : "");
    }
    report.context["done_count_per_run"] = done_count;

    writer.write(report, "", stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli

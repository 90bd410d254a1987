#include <chrono>

#include "subcommands.h"
#include "vyre/backend.h"
#include "vyre/bench_report.h"
#include "vyre/file_io.h"
#include "vyre/ring_spec.h"

namespace vyre::cli {

// Repeated dispatch of one ring from the same starting buffers: the runner
// (device, context, kernel build) is made once and timed apart; each run
// uploads, launches until the ring drains and reads back.
Runner setup_bench(CLI::App& cmd) {
  struct Options {
    std::string ring, ring_spec, control, debug_log, io_queue, resources, backend = "opencl", device, mode = "once",
                                                                          format = "table", output = "-", plot;
    uint32_t repeat = 20, warmup = 2, max_iterations = 1, workgroup_size = 0;
    bool no_cache = false, quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* ring = cmd.add_option("--ring", o->ring, "Ring buffer file, or - for stdin");
  auto* spec = cmd.add_option("--ring-spec", o->ring_spec, "JSON ring spec (see vyre encode-ring), or - for stdin");
  ring->excludes(spec);
  cmd.add_option("--control", o->control, "Control buffer (default: 1 tenant, 16 observables)");
  cmd.add_option("--debug-log", o->debug_log, "Debug-log buffer (default: 64 records)");
  cmd.add_option("--io-queue", o->io_queue, "IO queue buffer (default: 64 slots)");
  cmd.add_option("--resources", o->resources, "JSON map of LOAD_MISS resource ids to files");
  cmd.add_option("--backend", o->backend, "opencl or reference")
      ->check(CLI::IsMember({"opencl", "reference"}))
      ->capture_default_str();
  cmd.add_option("--device", o->device, "OpenCL device: platform:device or a name substring (see vyre devices)");
  cmd.add_option("--mode", o->mode, "once or persistent, as for vyre dispatch")
      ->check(CLI::IsMember({"once", "persistent"}))
      ->capture_default_str();
  cmd.add_option("--max-iterations", o->max_iterations, "Iterations per launch in persistent mode")
      ->check(CLI::Range(1u, 1u << 20))
      ->capture_default_str();
  cmd.add_option("--workgroup-size", o->workgroup_size, "Work-items per group")->check(CLI::Range(1u, 1u << 16));
  cmd.add_flag("--no-cache", o->no_cache, "Build the kernel from source, bypassing the program cache");
  cmd.add_option("--repeat", o->repeat, "Measured runs")->check(CLI::Range(1u, 1000000u))->capture_default_str();
  cmd.add_option("--warmup", o->warmup, "Runs before the measured ones, not reported")
      ->check(CLI::Range(0u, 1000000u))
      ->capture_default_str();
  cmd.add_option("--format", o->format, "table, json (schemas/bench.schema.json) or csv (one row per run)")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  add_output_option(cmd, std::shared_ptr<std::string>(o, &o->output));
  cmd.add_option("--plot", o->plot, "Write an SVG plot of the time distributions here (atomically)");
  cmd.add_flag("-q,--quiet", o->quiet, "No progress on stderr");
  return [o, ring, spec](std::stop_token stop) {
    if (ring->count() == 0 && spec->count() == 0)
      throw Error::usage("one of --ring or --ring-spec is required", "pass --ring ring.bin or --ring-spec spec.json");
    auto load = [](const std::string& path, const char* kind) {
      try {
        return read_input(path);
      } catch (const Error& e) {
        throw e.with_context(kind);
      }
    };
    Bytes ring_bytes = !o->ring.empty() ? load(o->ring, "ring")
                                        : encode_ring_spec_text(read_text_input(o->ring_spec), display_name(o->ring_spec));
    DispatchBuffers base = default_dispatch_buffers(std::move(ring_bytes));
    BufferNames names;
    if (!o->ring.empty()) names.ring = display_name(o->ring);
    if (!o->control.empty()) base.control = load(o->control, "control"), names.control = o->control;
    if (!o->debug_log.empty()) base.debug_log = load(o->debug_log, "debug log"), names.debug_log = o->debug_log;
    if (!o->io_queue.empty()) base.io_queue = load(o->io_queue, "io queue"), names.io_queue = o->io_queue;
    validate_dispatch_buffers(base, names);

    DispatchOptions options;
    options.mode = o->mode == "once" ? DispatchMode::Once : DispatchMode::Persistent;
    options.max_iterations = o->max_iterations;
    options.workgroup_size = o->workgroup_size;
    options.cancel = stop;
    if (!o->resources.empty()) options.resources = parse_resource_map(read_text_input(o->resources), o->resources);

    BackendChoice choice;
    choice.backend = o->backend;
    choice.opencl = OpenClOptions{o->device, !o->no_cache, o->workgroup_size, 0};
    const auto t0 = std::chrono::steady_clock::now();
    auto runner = make_pass_runner(choice);
    BenchReport report;
    report.tool = "vyre bench";
    report.subject = !o->ring.empty() ? display_name(o->ring) : display_name(o->ring_spec);
    report.backend = runner->backend_name();
    report.device = runner->device_name();
    report.work_unit = "slots";
    report.work_per_run = base.slot_count();
    report.repeat = o->repeat;
    report.warmup = o->warmup;
    report.setup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    report.series = {{"kernel_ms", "kernel launches, from profiling events (host clock on the reference backend)", {}},
                     {"wall_ms", "one dispatch: upload, launches, IO pump, read-back", {}}};
    report.context = {{"mode", o->mode},
                      {"max_iterations", o->max_iterations},
                      {"workgroup_size", runner->workgroup_size()},
                      {"ring_bytes", base.ring.size()}};

    Progress progress("vyre bench: run", o->quiet);
    const uint32_t total = o->warmup + o->repeat;
    uint32_t done_count = 0;
    for (uint32_t i = 0; i < total; ++i) {
      const auto start = std::chrono::steady_clock::now();
      DispatchResult r = run_dispatch(*runner, base, options);
      const double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      // Every run starts from the same buffers, so every run must drain the
      // same number of slots; a backend that does not is reported, not timed.
      const uint32_t done = read_done_count(r.buffers.control);
      if (i == 0) done_count = done;
      else if (done != done_count)
        throw Error::backend("run " + std::to_string(i) + " drained " + std::to_string(done) + " slots, run 0 drained " +
                             std::to_string(done_count) + ". Fix: check the ring with vyre replay --compare reference");
      if (i >= o->warmup) {
        report.series[0].ms.push_back(r.timings.kernel_ms);
        report.series[1].ms.push_back(wall);
      }
      progress.update(i + 1, total, i < o->warmup ? "(warm-up)" : "");
    }
    report.context["done_count_per_run"] = done_count;

    if (!o->plot.empty()) write_output(o->plot, bench_svg(report), OutputKind::Text);
    const std::string text = o->format == "json" ? bench_json(report).dump(2) + "\n"
                              : o->format == "csv" ? bench_csv(report)
                                                   : bench_table(report);
    write_output(o->output, text, OutputKind::Text);
    return kExitOk;
  };
}

}  // namespace vyre::cli

#include "grafos/config.h"
#include "grafos/tasklet_bench.h"
#include "region_options.h"
#include "subcommands.h"

namespace grafos_cli {

vyre::cli::Runner setup_bench(CLI::App& cmd) {
  struct Options {
    grafos::TaskletBenchRequest request;
    std::string size = "64M";
    vyre::cli::BenchOutputOptions out;
    RegionOptions regions;
  };
  auto o = std::make_shared<Options>();
  grafos::TaskletBenchRequest& r = o->request;
  cmd.add_option("TASKLET", r.job.tasklet, "A built-in tasklet (grafos list-tasklets) or a FILE.cl tasklet")->required();
  cmd.add_option("--workers", r.workers, "Lanes, coordinator included (default: " + grafos::kDefaultWorkersRule + ")")
      ->check(vyre::cli::whole_number(0, UINT32_MAX));
  auto* input = cmd.add_option("--input", r.input, "Input bytes: a file or - for stdin");
  cmd.add_option("--size", o->size, "Without --input: this many seeded random bytes, e.g. 256M")
      ->excludes(input)
      ->capture_default_str();
  add_region_options(cmd, o->regions);
  add_target_option(cmd, r.job.target);
  cmd.add_option("--device", r.job.opencl.device_selector, "OpenCL device (as vyre dispatch --device)");
  cmd.add_option("--local-size", r.job.opencl.local_size,
                 "OpenCL work-items per worker (default " + grafos::kDefaultLocalSizeRule + ")")
      ->check(vyre::cli::whole_number(1, 1u << 16));
  cmd.add_flag("--no-cache", [o](int64_t) { o->request.job.opencl.use_cache = false; },
               "Build OpenCL programs from source, bypassing the program cache");
  vyre::cli::add_bench_output_options(cmd, o->out, 10, 1);
  return [o](std::stop_token stop) {
    vyre::cli::BenchWriter writer(o->out);
    grafos::TaskletBenchRequest request = o->request;
    request.generated_bytes = vyre::cli::parse_size(o->size, "--size");
    request.regions = region_choice(o->regions);
    request.warmup = o->out.warmup;
    request.repeat = o->out.repeat;
    vyre::cli::Progress progress("grafos bench: run", o->out.quiet);
    const grafos::TaskletBench bench = grafos::bench_tasklet(
        request,
        [&](uint32_t done, uint32_t total, bool warmup) { progress.update(done, total, warmup ? "(warm-up)" : ""); },
        stop);
    writer.write(bench.report, bench.table_suffix, stop);
    return vyre::kExitOk;
  };
}

}  // namespace grafos_cli

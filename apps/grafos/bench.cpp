#include <cstring>
#include <random>

#include "grafos/config.h"
#include "grafos/error.h"
#include "grafos/tasklet_job.h"
#include "region_options.h"
#include "subcommands.h"
#include "vyre/bench_report.h"
#include "vyre/error.h"
#include "vyre/file_io.h"

namespace grafos_cli {

// Repeated runs of one tasklet on one input, each beside the yardstick of the
// same bytes (a memcpy on the host, a device copy on OpenCL) so the ratio is
// measured in one process on one machine state.
vyre::cli::Runner setup_bench(CLI::App& cmd) {
  struct Options {
    std::string tasklet, input, size = "64M", target = "host", device;
    uint32_t workers = 0, local_size = 0;
    bool no_cache = false;
    vyre::cli::BenchOutputOptions out;
    RegionOptions regions;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("TASKLET", o->tasklet, "A built-in tasklet (grafos list-tasklets) or a FILE.cl tasklet")->required();
  cmd.add_option("--workers", o->workers, "Lanes, coordinator included (default: " + grafos::kDefaultWorkersRule + ")")
      ->check(vyre::cli::whole_number(0, UINT32_MAX));
  auto* input = cmd.add_option("--input", o->input, "Input bytes: a file or - for stdin");
  cmd.add_option("--size", o->size, "Without --input: this many seeded random bytes, e.g. 256M")
      ->excludes(input)
      ->capture_default_str();
  add_region_options(cmd, o->regions);
  cmd.add_option("--target", o->target, "host (threads) or opencl")
      ->check(CLI::IsMember({"host", "opencl"}))
      ->capture_default_str();
  cmd.add_option("--device", o->device, "OpenCL device (as vyre dispatch --device)");
  cmd.add_option("--local-size", o->local_size, "OpenCL work-items per worker (default " + grafos::kDefaultLocalSizeRule + ")")
      ->check(vyre::cli::whole_number(1, 1u << 16));
  cmd.add_flag("--no-cache", o->no_cache, "Build OpenCL programs from source, bypassing the program cache");
  vyre::cli::add_bench_output_options(cmd, o->out, 10, 1);
  return [o](std::stop_token stop) {
    vyre::cli::BenchWriter writer(o->out);
    grafos::TaskletJob job({o->tasklet, o->target, {o->device, !o->no_cache, o->local_size}});
    vyre::Bytes data;
    if (!o->input.empty()) {
      data = vyre::read_input(o->input);
    } else {
      uint64_t n = vyre::cli::parse_size(o->size, "--size");
      if (job.builtin()) n -= n % job.builtin()->input_unit;
      if (n > (uint64_t{1} << 36))
        throw vyre::Error::usage("--size " + o->size + " is larger than 64G", "benchmark a smaller input");
      data.resize(n);
      std::mt19937_64 rng(1);
      for (uint64_t i = 0; i < n; i += 8) {
        const uint64_t v = rng();
        std::memcpy(data.data() + i, &v, std::min<uint64_t>(8, n - i));
      }
    }
    job.check_input(data, o->input.empty() ? "--size input" : vyre::display_name(o->input));

    grafos::TaskletConfig config;
    config.workers = o->workers ? o->workers : job.default_workers();
    apply_region_options(o->regions, job, data.size(), config);
    config.cancel = stop;
    grafos::validate_config(config);

    vyre::BenchReport report;
    report.tool = "grafos bench";
    report.subject = job.name();
    report.backend = o->target;
    report.device = job.device();
    report.work_unit = "bytes";
    report.work_per_run = data.size();
    report.repeat = o->out.repeat;
    report.warmup = o->out.warmup;
    report.setup_ms = job.setup_ms();
    const bool device = o->target == "opencl";
    report.series.push_back({"wall_ms", device ? "one run: regions, upload, every phase, read-back" : "one run, every phase",
                             {}});
    if (device) report.series.push_back({"kernel_ms", "coordinator and worker kernels, from profiling events", {}});
    report.series.push_back({device ? "copy_ms" : "memcpy_ms",
                             "the yardstick: " + job.baseline_name() + " of the input's bytes, beside each run", {}});
    report.context = {{"workers", config.workers},
                      {"shared_bytes", config.shared_bytes},
                      {"scratch_bytes_per_worker", config.scratch_bytes_per_worker}};

    vyre::cli::Progress progress("grafos bench: run", o->out.quiet);
    const uint32_t total = o->out.warmup + o->out.repeat;
    grafos::OutputBytes first_output;
    for (uint32_t i = 0; i < total; ++i) {
      const double base = job.baseline_ms(data);
      grafos::TaskletJobRun r = job.run(config, data);
      // Every run has the same input: a different output is a bug worth more
      // than any timing.
      if (i == 0) first_output = r.result.output;
      else if (r.result.output != first_output)
        throw grafos::TaskletError(grafos::TaskletErrorKind::LaneFailure,
                                   job.name() + ": run " + std::to_string(i) + " gave a different output than run 0");
      if (i >= o->out.warmup) {
        size_t k = 0;
        report.series[k++].ms.push_back(r.result.wall_ms);
        if (device) report.series[k++].ms.push_back(r.kernel_ms);
        report.series[k].ms.push_back(base);
      }
      progress.update(i + 1, total, i < o->out.warmup ? "(warm-up)" : "");
    }
    // The ratio compares like with like: on a device the kernels against a
    // device copy (the wall time also holds the upload of the input), on the
    // host the whole run against a memcpy.
    const auto& timed = device ? report.series[1] : report.series[0];
    const vyre::SampleStats tasklet = vyre::sample_stats(timed.ms);
    const vyre::SampleStats yard = vyre::sample_stats(report.series.back().ms);
    std::string suffix;
    if (tasklet.median > 0) {
      report.context[device ? "kernel_vs_copy_at_median" : "wall_vs_memcpy_at_median"] = yard.median / tasklet.median;
      char line[160];
      std::snprintf(line, sizeof line, "%s at median = %.2fx the %s of the same bytes (higher is faster)\n",
                    device ? "kernels" : "wall", yard.median / tasklet.median, job.baseline_name().c_str());
      suffix = line;
    }
    writer.write(report, suffix, stop);
    return vyre::kExitOk;
  };
}

}  // namespace grafos_cli

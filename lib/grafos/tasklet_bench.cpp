#include "grafos/tasklet_bench.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>

#include "grafos/error.h"
#include "vyre/error.h"
#include "vyre/file_io.h"

namespace grafos {

namespace {

constexpr uint64_t kMaxGeneratedBytes = uint64_t{1} << 36;

vyre::Bytes bench_input(const TaskletBenchRequest& r, const TaskletJob& job) {
  if (!r.input.empty()) {
    try {
      return vyre::read_input(r.input);
    } catch (const vyre::Error& e) {
      throw TaskletError(e.kind() == vyre::ErrorKind::Io ? TaskletErrorKind::Io : TaskletErrorKind::InvalidInput,
                         e.what());
    }
  }
  uint64_t n = r.generated_bytes;
  if (job.builtin()) n -= n % job.builtin()->input_unit;
  if (n > kMaxGeneratedBytes)
    throw TaskletError(TaskletErrorKind::Usage, "--size of " + std::to_string(n) +
                                                    " bytes is larger than 64G. Fix: benchmark a smaller input");
  vyre::Bytes data(n);
  std::mt19937_64 rng(1);
  for (uint64_t i = 0; i < n; i += 8) {
    const uint64_t v = rng();
    std::memcpy(data.data() + i, &v, std::min<uint64_t>(8, n - i));
  }
  return data;
}

}  // namespace

TaskletBench bench_tasklet(const TaskletBenchRequest& request, const BenchProgress& progress, std::stop_token stop) {
  TaskletJob job(request.job);
  const vyre::Bytes data = bench_input(request, job);
  job.check_input(data, request.input.empty() ? "--size input" : vyre::display_name(request.input));

  TaskletConfig config;
  config.workers = request.workers ? request.workers : job.default_workers();
  job.configure(config, data.size(), request.regions);
  config.cancel = stop;
  validate_config(config);

  TaskletBench out;
  vyre::BenchReport& report = out.report;
  const bool device = job.target() == Target::OpenCl;
  report.tool = "grafos bench";
  report.subject = job.name();
  report.backend = std::string(target_name(job.target()));
  report.device = job.device();
  report.work_unit = "bytes";
  report.work_per_run = data.size();
  report.repeat = request.repeat;
  report.warmup = request.warmup;
  report.setup_ms = job.setup_ms();
  report.series.push_back({"wall_ms", device ? "one run: regions, upload, every phase, read-back" : "one run, every phase", {}});
  if (device) report.series.push_back({"kernel_ms", "coordinator and worker kernels, from profiling events", {}});
  report.series.push_back({device ? "copy_ms" : "memcpy_ms",
                           "the yardstick: " + job.baseline_name() + " of the input's bytes, beside each run", {}});
  if (device) {
    report.series.push_back({"upload_ms", "the input to the device, from its profiling event", {}});
    report.series.push_back({"readback_ms", "the output back from the device, from its profiling event", {}});
  }
  report.context = {{"workers", config.workers},
                    {"shared_bytes", config.shared_bytes},
                    {"scratch_bytes_per_worker", config.scratch_bytes_per_worker}};

  // Every run has the same input: the device keeps it in pinned memory.
  job.keep_input(data);
  const uint32_t total = request.warmup + request.repeat;
  OutputBytes first_output;
  for (uint32_t i = 0; i < total; ++i) {
    const double base = job.baseline_ms(data);
    TaskletJobRun r = job.run(config, data, true);
    // A different output from the same input is a bug worth more than any timing.
    if (i == 0) first_output = r.result.output;
    else if (r.result.output != first_output)
      throw TaskletError(TaskletErrorKind::LaneFailure,
                         job.name() + ": run " + std::to_string(i) + " gave a different output than run 0");
    if (i >= request.warmup) {
      size_t k = 0;
      report.series[k++].ms.push_back(r.result.wall_ms);
      if (device) report.series[k++].ms.push_back(r.kernel_ms);
      report.series[k++].ms.push_back(base);
      if (device) {
        report.series[k++].ms.push_back(r.upload_ms);
        report.series[k++].ms.push_back(r.readback_ms);
      }
    }
    if (progress) progress(i + 1, total, i < request.warmup);
  }
  // The floor: the input up and the output down at the bus's pinned speed,
  // plus the kernels' median.
  const uint64_t up = data.size(), down = first_output.size();
  if (const auto bus = job.measure_bus(std::max<uint64_t>(up, down)))
    report.floor = vyre::BenchFloor{up, down, bus->host_to_device_gbps, bus->device_to_host_gbps,
                                    vyre::sample_stats(report.series[1].ms).median};
  // The ratio compares like with like: on a device the kernels against a
  // device copy (the wall also holds the upload), on the host the whole run
  // against a memcpy.
  const vyre::SampleStats tasklet = vyre::sample_stats(report.series[device ? 1 : 0].ms);
  const vyre::SampleStats yard = vyre::sample_stats(report.series[device ? 2 : 1].ms);
  if (tasklet.median > 0) {
    report.context[device ? "kernel_vs_copy_at_median" : "wall_vs_memcpy_at_median"] = yard.median / tasklet.median;
    char line[160];
    std::snprintf(line, sizeof line, "%s at median = %.2fx the %s of the same bytes (higher is faster)\n",
                  device ? "kernels" : "wall", yard.median / tasklet.median, job.baseline_name().c_str());
    out.table_suffix = line;
  }
  return out;
}

}  // namespace grafos

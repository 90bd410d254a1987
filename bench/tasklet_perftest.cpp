// sum and histogram over 256 MiB: the host target against a memcpy of the
// same bytes measured in the same run, and the opencl target against the
// device's copy bandwidth measured in the same run.
//
//   bench/tasklet_perftest [--target host|opencl|both] [--mib N] [--workers N] [--device SEL] [--reps N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "grafos/builtin_tasklets.h"
#include "grafos/cpu_affinity.h"
#include "grafos/opencl_target.h"
#include "vyre/opencl_device.h"

using namespace grafos;
using Clock = std::chrono::steady_clock;

namespace {
volatile uint8_t g_sink;

double copy_bandwidth(const vyre::SelectedDevice& d, size_t bytes, int reps) {
  cl::Context ctx(d.device);
  cl::CommandQueue q(ctx, d.device, CL_QUEUE_PROFILING_ENABLE);
  cl::Buffer a(ctx, CL_MEM_READ_WRITE, bytes), b(ctx, CL_MEM_READ_WRITE, bytes);
  q.enqueueFillBuffer(a, uint8_t{1}, 0, bytes);
  q.finish();
  double best = 1e30;
  for (int r = 0; r <= reps; ++r) {
    cl::Event e;
    q.enqueueCopyBuffer(a, b, 0, 0, bytes, nullptr, &e);
    e.wait();
    const double s = (e.getProfilingInfo<CL_PROFILING_COMMAND_END>() - e.getProfilingInfo<CL_PROFILING_COMMAND_START>()) / 1e9;
    if (r) best = std::min(best, s);
  }
  return bytes / best;  // bytes copied per second (each read once and written once)
}
}  // namespace

int main(int argc, char** argv) {
  std::string target = "both", device;
  uint64_t mib = 256;
  uint32_t workers = grafos::detail::usable_cpus() + 1;  // every CPU a data lane, plus the coordinator
  int reps = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--target")) target = argv[i + 1];
    if (!std::strcmp(argv[i], "--mib")) mib = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--workers")) workers = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--device")) device = argv[i + 1];
    if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[i + 1]);
  }
  const size_t bytes = mib << 20;
  std::vector<uint8_t> input(bytes), copy(bytes);
  std::mt19937_64 rng(1);
  for (size_t i = 0; i < bytes; i += 8) {
    const uint64_t v = rng();
    std::memcpy(input.data() + i, &v, std::min<size_t>(8, bytes - i));
  }
  std::memcpy(copy.data(), input.data(), bytes);  // fault the pages in
  try {
    if (target == "host" || target == "both") {
      double t_memcpy = 1e30, t_sum = 1e30, t_hist = 1e30;
      for (int r = 0; r < reps; ++r) {  // interleaved, best of each
        auto t0 = Clock::now();
        std::memcpy(copy.data(), input.data(), bytes);
        g_sink = copy[bytes / 3];
        t_memcpy = std::min(t_memcpy, std::chrono::duration<double>(Clock::now() - t0).count());
        for (const char* name : {"sum", "histogram"}) {
          const BuiltinTasklet& t = *find_builtin_tasklet(name);
          t0 = Clock::now();
          const auto out = t.run_host(builtin_config(t, bytes, workers), input);
          const double s = std::chrono::duration<double>(Clock::now() - t0).count();
          g_sink = out.output[0];
          double& best = t.name == "sum" ? t_sum : t_hist;
          best = std::min(best, s);
        }
      }
      std::printf("host target, %llu MiB input, %u workers (%u data lanes) on %u CPUs, best of %d\n",
                  static_cast<unsigned long long>(mib), workers, workers - 1, grafos::detail::usable_cpus(), reps);
      std::printf("%-22s %10s %10s %12s\n", "operation", "ms", "GB/s", "vs memcpy");
      std::printf("%-22s %10.1f %10.2f %11.2fx\n", "memcpy (reference)", t_memcpy * 1e3, bytes / t_memcpy / 1e9, 1.0);
      std::printf("%-22s %10.1f %10.2f %11.2fx\n", "sum", t_sum * 1e3, bytes / t_sum / 1e9, t_memcpy / t_sum);
      std::printf("%-22s %10.1f %10.2f %11.2fx\n", "histogram", t_hist * 1e3, bytes / t_hist / 1e9, t_memcpy / t_hist);
    }
    if (target == "opencl" || target == "both") {
      const auto dev = vyre::select_device(device);
      const double bw = copy_bandwidth(dev, bytes, reps);
      std::printf("opencl target on %s, %llu MiB input, %u workers, best of %d (kernel time, profiling events)\n",
                  dev.info.name.c_str(), static_cast<unsigned long long>(mib), workers, reps);
      std::printf("device copy: %.1f GB/s copied (%.1f GB/s read + write)\n", bw / 1e9, 2 * bw / 1e9);
      std::printf("%-22s %10s %10s %14s\n", "operation", "kernel ms", "GB/s", "vs device copy");
      for (const char* name : {"sum", "histogram"}) {
        const BuiltinTasklet& t = *find_builtin_tasklet(name);
        const TaskletConfig c = builtin_config(t, bytes, workers);
        double best = 1e30;
        OutputBytes first;
        for (int r = 0; r < reps; ++r) {
          const auto run = run_opencl_tasklet(c, builtin_tasklet_source(t), name, input,
                                              t.output_bytes(bytes), {device, true, 0});
          if (r == 0) first = run.result.output;
          best = std::min(best, run.kernel_ms / 1e3);
        }
        if (!std::ranges::equal(first, builtin_expected_output(name, input))) {
          std::fprintf(stderr, "%s: wrong result on the device\n", name);
          return 1;
        }
        std::printf("%-22s %10.3f %10.1f %13.2fx\n", name, best * 1e3, bytes / best / 1e9, (bytes / best) / bw);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tasklet_perftest: %s\n", e.what());
    return 2;
  }
  return 0;
}

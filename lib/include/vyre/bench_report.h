// Results of a repeated run (vyre bench, grafos bench): per-run times of one
// or more series (kernel, wall), their statistics, and the four ways they are
// shown - a table, JSON (schemas/bench.schema.json), CSV with one row per
// run, and an SVG plot of each series' distribution.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vyre {

struct SampleStats {
  size_t count = 0;
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0, mean = 0, stddev = 0;
};
// Quartiles by linear interpolation between order statistics; all zero for
// no samples.
SampleStats sample_stats(std::span<const double> samples);

struct BenchSeries {
  std::string name;        // "kernel_ms", "wall_ms"
  std::string description;  // what the time covers
  std::vector<double> ms;  // one per measured run, in run order
};

// What the hardware allows one run: the bytes that must cross the bus each
// way at the pinned bandwidth measured in the same run, plus the kernel's
// median. A wall time is read against it (wall_ms median / floor_ms).
struct BenchFloor {
  uint64_t bytes_to_device = 0, bytes_to_host = 0;
  double host_to_device_gbps = 0, device_to_host_gbps = 0;  // 1 GB/s = 1e9 bytes/s
  double kernel_ms = 0;

  double transfer_ms() const;
  double floor_ms() const { return transfer_ms() + kernel_ms; }
};

struct BenchReport {
  std::string tool;     // "vyre bench", "grafos bench"
  std::string subject;  // the ring or the tasklet
  std::string backend, device;
  std::string work_unit;  // "slots" or "bytes": what one run processes
  uint64_t work_per_run = 0;
  uint32_t repeat = 0, warmup = 0;
  double setup_ms = 0;  // device, context and build: once, not in any run
  std::vector<BenchSeries> series;
  nlohmann::json context = nlohmann::json::object();  // tool-specific settings
  std::optional<BenchFloor> floor;  // where the backend has a bus (OpenCL)
};

std::string bench_table(const BenchReport& report);
nlohmann::json bench_json(const BenchReport& report);
// CSV, one row per run, in one column order for every tool: run, wall_ms,
// kernel_ms, baseline_ms (the yardstick beside each run: grafos bench's
// memcpy_ms or copy_ms), upload_ms, readback_ms (the parts of an OpenCL
// run's wall); a series the tool does not measure is left empty.
inline constexpr const char* kBenchCsvHeader = "run,wall_ms,kernel_ms,baseline_ms,upload_ms,readback_ms";
std::string bench_csv(const BenchReport& report);
std::string bench_svg(const BenchReport& report);

}  // namespace vyre

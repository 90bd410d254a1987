// A tasklet chosen the way `grafos run-tasklet` and `grafos bench` name it -
// a built-in by name or an OpenCL C FILE.cl - ready to run on one target as
// often as needed (an OpenCL tasklet is built once).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "grafos/builtin_tasklets.h"
#include "grafos/config.h"
#include "grafos/opencl_target.h"

namespace grafos {

// The default worker count is what measured fastest: on the host the
// coordinator sleeps during a phase, so every CPU the process may use runs
// a data lane, and the prefix sums run two lanes a CPU (on the 2-core VM,
// 64 MiB: 6.0-6.3 ms against 7.7-9.0 ms with one; 6.4-7.2 against 6.8-8.4
// with the lanes pinned); on an OpenCL device a lane is a
// work-group, and several per compute unit hide a GPU's memory latency and
// balance a CPU device's threads (grafos bench). The rules in words, for
// --help and the man pages:
inline constexpr uint32_t kLanesPerComputeUnit = 4;
inline const std::string kDefaultWorkersRule =
    "host: CPUs the process may use (nproc) + 1 (prefix sums: 2 x CPUs + 1); OpenCL: " +
    std::to_string(kLanesPerComputeUnit) + " x compute units + 1";
inline const std::string kDefaultLocalSizeRule = std::to_string(kDefaultLocalSizeGpu) + " on GPUs, " +
                                                 std::to_string(kDefaultLocalSizeCpu) + " on other devices";

enum class Target { Host, OpenCl };
// "host" or "opencl", as options and reports write it.
std::string_view target_name(Target target);

struct TaskletJobOptions {
  std::string tasklet;  // built-in name or a path ending in .cl
  Target target = Target::Host;
  OpenClTaskletOptions opencl;
};

// What a command line asks of the regions, the budget and the fuel; each
// left out takes the tasklet's need or the SDK's default.
struct RegionChoice {
  std::optional<uint64_t> shared_bytes, scratch_bytes_per_worker, max_linear_memory, fuel;
};

struct TaskletJobRun {
  SharedTaskletResult result;
  double kernel_ms = -1;    // opencl: from profiling events; host: -1
  double upload_ms = 0;     // opencl: the input to the device
  double readback_ms = 0;   // opencl: the output back
};

class TaskletJob {
 public:
  // TaskletError: Usage for an unknown name or a FILE.cl on the host target,
  // Io for a FILE.cl that cannot be read, Device when it does not build.
  explicit TaskletJob(const TaskletJobOptions& options);
  ~TaskletJob();

  const BuiltinTasklet* builtin() const { return builtin_; }
  Target target() const { return options_.target; }
  // The built-in's name or the file's base name.
  std::string name() const;
  std::string device() const;
  double setup_ms() const;

  // TaskletError InvalidInput naming `input_name` when a u32 tasklet gets a
  // partial word.
  void check_input(std::span<const uint8_t> input, const std::string& input_name) const;
  // The regions the tasklet needs (zero for a FILE.cl: the user sizes them).
  RegionSizes needed(uint64_t input_len, uint32_t workers) const;
  // Fills config.shared_bytes and scratch_bytes_per_worker: the sizes given,
  // else what the tasklet needs for `input_len` bytes; InvalidConfig when a
  // given size is below the need.
  void size_regions(TaskletConfig& config, uint64_t input_len, std::optional<uint64_t> shared_bytes,
                    std::optional<uint64_t> scratch_bytes_per_worker) const;
  // size_regions, the budget and the fuel of `choice`, in `config`.
  void configure(TaskletConfig& config, uint64_t input_len, const RegionChoice& choice) const;
  // Output capacity: a built-in's own size, else the input size or 1 MiB.
  uint64_t output_capacity(uint64_t input_len) const;
  // An input that will be run again and again (grafos bench): on OpenCL it
  // is kept in pinned memory and a run with `input_is_kept` uploads from
  // there at the bus's speed.
  void keep_input(std::span<const uint8_t> input);
  TaskletJobRun run(const TaskletConfig& config, std::span<const uint8_t> input, bool input_is_kept = false);
  // The bus's pinned speed each way for `bytes` (OpenCL); nullopt on the host.
  std::optional<vyre::TransferRates> measure_bus(uint64_t bytes);

  // The workers run-tasklet and bench use without --workers (kDefaultWorkersRule).
  uint32_t default_workers() const;
  // The yardstick measured beside each run: "memcpy" of the input on the
  // host, "device copy" of the input's size on a device.
  std::string baseline_name() const;
  double baseline_ms(std::span<const uint8_t> input);

 private:
  TaskletJobOptions options_;
  const BuiltinTasklet* builtin_ = nullptr;
  std::unique_ptr<OpenClTasklet> opencl_;
  std::vector<uint8_t> copy_;  // memcpy destination, kept between baseline runs
};

// The report of one run (schemas/tasklet-report.schema.json): `wall_ms` is
// what the caller timed (a one-shot's includes choosing the device and the
// build).
nlohmann::json tasklet_report_json(const TaskletJob& job, const TaskletConfig& config, uint64_t input_bytes,
                                   const TaskletJobRun& run, double wall_ms);

}  // namespace grafos

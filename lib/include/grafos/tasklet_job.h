// A tasklet chosen the way `grafos run-tasklet` and `grafos bench` name it -
// a built-in by name or an OpenCL C FILE.cl - ready to run on one target as
// often as needed (an OpenCL tasklet is built once).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "grafos/builtin_tasklets.h"
#include "grafos/config.h"
#include "grafos/opencl_target.h"

namespace grafos {

// The default worker count is what measured fastest: on the host the
// coordinator sleeps during a phase, so every hardware thread runs a data
// lane; on an OpenCL device a lane is a work-group, and several per compute
// unit hide a GPU's memory latency and balance a CPU device's threads
// (grafos bench). The rules in words, for --help and the man pages:
inline constexpr uint32_t kLanesPerComputeUnit = 4;
inline const std::string kDefaultWorkersRule =
    "host: hardware threads + 1; OpenCL: " + std::to_string(kLanesPerComputeUnit) + " x compute units + 1";
inline const std::string kDefaultLocalSizeRule = std::to_string(kDefaultLocalSizeGpu) + " on GPUs, " +
                                                 std::to_string(kDefaultLocalSizeCpu) + " on other devices";

struct TaskletJobOptions {
  std::string tasklet;          // built-in name or a path ending in .cl
  std::string target = "host";  // host or opencl
  OpenClTaskletOptions opencl;
};

struct TaskletJobRun {
  SharedTaskletResult result;
  double kernel_ms = -1;  // opencl: from profiling events; host: -1
};

class TaskletJob {
 public:
  // Usage errors (vyre::Error) for an unknown name or a FILE.cl on the host
  // target; TaskletError (Device) when the OpenCL tasklet does not build.
  explicit TaskletJob(const TaskletJobOptions& options);
  ~TaskletJob();

  const BuiltinTasklet* builtin() const { return builtin_; }
  // The built-in's name or the file's base name.
  std::string name() const;
  std::string device() const;
  double setup_ms() const;

  // InvalidInput naming `input_name` when a u32 tasklet gets a partial word.
  void check_input(std::span<const uint8_t> input, const std::string& input_name) const;
  // The regions the tasklet needs (zero for a FILE.cl: the user sizes them).
  RegionSizes needed(uint64_t input_len, uint32_t workers) const;
  // Fills config.shared_bytes and scratch_bytes_per_worker: the sizes given,
  // else what the tasklet needs for `input_len` bytes; InvalidConfig when a
  // given size is below the need.
  void size_regions(TaskletConfig& config, uint64_t input_len, std::optional<uint64_t> shared_bytes,
                    std::optional<uint64_t> scratch_bytes_per_worker) const;
  // Output capacity: a built-in's own size, else the input size or 1 MiB.
  uint64_t output_capacity(uint64_t input_len) const;
  TaskletJobRun run(const TaskletConfig& config, std::span<const uint8_t> input);

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

}  // namespace grafos

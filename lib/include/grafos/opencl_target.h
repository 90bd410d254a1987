// The OpenCL target of libgrafos. Lanes map to the device as one work-group
// per data worker: each phase is one NDRange of data_workers groups, whose
// work-items cooperate on their worker's share; the coordinator is a
// one-group kernel run between phases. So on this target barrier() is a
// work-group barrier among the work-items of one worker, and the barrier
// across workers is the phase boundary (grafos-tasklets(7), TARGETS). The shared
// region, the scratch regions, the input and the output are device buffers;
// the fuel pool is a 64-bit device atomic. See kernels/grafos_tasklet.clh.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "grafos/builtin_tasklets.h"
#include "grafos/config.h"
#include "vyre/dispatch.h"

namespace grafos {

// Work-items per lane by default: a GPU hides latency with many, a CPU
// device runs a work-group's items as loops and vectors across few.
inline constexpr uint32_t kDefaultLocalSizeGpu = 256, kDefaultLocalSizeCpu = 16;

struct OpenClTaskletOptions {
  std::string device_selector;  // as vyre dispatch --device
  bool use_cache = true;
  uint32_t local_size = 0;      // work-items per worker; 0: kDefaultLocalSize of the device type
};

struct OpenClTaskletRun {
  SharedTaskletResult result;
  std::string device;
  double build_ms = 0;
  double kernel_ms = 0;    // from profiling events
  double upload_ms = 0;    // the input to the device (profiling event)
  double readback_ms = 0;  // the output back (profiling event)
};

// A tasklet built for one device, run as often as needed: the context, the
// program and its kernels are made once (what a benchmark must not time).
class OpenClTasklet {
 public:
  // `source` is the tasklet's source without the prelude; `name` names it in
  // errors (the file's path when `user_file`). Throws TaskletError (Device,
  // or InvalidConfig for a bad local size).
  OpenClTasklet(const std::string& source, const std::string& name, bool user_file, const OpenClTaskletOptions& options);
  ~OpenClTasklet();
  OpenClTasklet(const OpenClTasklet&) = delete;
  OpenClTasklet& operator=(const OpenClTasklet&) = delete;
  std::string device() const;
  double setup_ms() const;  // device choice, context and build
  uint32_t compute_units() const;
  // A device-to-device copy of `bytes` (from profiling events): the
  // bandwidth yardstick a benchmark measures beside the tasklet.
  double copy_ms(uint64_t bytes);
  // An input the caller will run again and again (a bench): kept in pinned
  // memory, where uploads run at the bus's speed; a run with
  // `input_is_kept` uploads from there.
  void keep_input(std::span<const uint8_t> input);
  // The bus's speed between pinned memory and the device for `bytes` each way.
  std::optional<vyre::TransferRates> measure_bus(uint64_t bytes);
  // One run: zeroed regions (the device buffers are kept between runs),
  // every phase, the output read back.
  OpenClTaskletRun run(const TaskletConfig& config, std::span<const uint8_t> input, uint64_t output_capacity,
                       bool input_is_kept = false);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Runs a tasklet written in OpenCL C against the prelude. `source` is the
// tasklet's source without the prelude; `name` names it in errors.
OpenClTaskletRun run_opencl_tasklet(const TaskletConfig& config, const std::string& source, const std::string& name,
                                    std::span<const uint8_t> input, uint64_t output_capacity,
                                    const OpenClTaskletOptions& options);

// The prelude (kernels/grafos_tasklet.clh) and a built-in tasklet's OpenCL
// source (its kernel_defines, then its file), compiled into the library.
const std::string& tasklet_prelude();
std::string builtin_tasklet_source(const BuiltinTasklet& tasklet);

}  // namespace grafos

// The OpenCL backend of `vyre dispatch`: builds kernels/megakernel.cl for the
// selected device (through the program cache) and runs launches over device
// buffers, timing the kernel with profiling events.
#pragma once

#include <memory>

#include "vyre/dispatch.h"
#include "vyre/opencl_device.h"
#include "vyre/user_opcodes.h"

namespace vyre {

// The -D options that hand protocol.h's constants to the kernel, plus
// $VYRE_CL_OPTIONS when set.
std::string megakernel_build_options();
// The kernel source compiled into the library.
const std::string& megakernel_source();
// What is built for a device: the megakernel and the user opcodes' bodies.
std::string megakernel_program(const UserOpcodes& opcodes);

struct OpenClOptions {
  std::string device_selector;  // see select_device
  bool use_cache = true;
  uint32_t workgroup_size = 0;  // 0: min(256, what the kernel allows)
  // When non-zero, all buffers are carved from one allocation with at least
  // this many guard bytes around each, filled with a pattern and verified
  // after the dispatch: a kernel write outside any buffer becomes a Backend
  // error naming the neighbouring buffer and the byte.
  uint32_t guard_bytes = 0;
  // Bodies of user opcodes compiled into the megakernel (--opcodes OPS.cl).
  UserOpcodes opcodes;
};

class OpenClRunner final : public PassRunner {
 public:
  explicit OpenClRunner(const OpenClOptions& options);
  ~OpenClRunner() override;
  std::string backend_name() const override { return "opencl"; }
  std::string device_name() const override;
  uint32_t workgroup_size() const override;
  const DeviceInfo& device_info() const;
  double build_ms() const;
  bool build_cache_hit() const;
  // The compiler's log of the last build (warnings, or driver statistics).
  std::string build_log() const;
  void keep_start(const DispatchBuffers& start) override;
  void begin(DispatchBuffers& buffers, const DispatchOptions& options, DispatchTimings& timings) override;
  void launch(uint32_t iterations, std::array<uint32_t, stats::WORDS>& stats, DispatchBuffers& buffers,
              DispatchTimings& timings) override;
  void end(DispatchBuffers& buffers, DispatchTimings& timings) override;
  RunnerRing take_result_ring() override;
  void abandon() noexcept override;
  void set_cancel(std::stop_token token) override;
  std::optional<TransferRates> measure_bus(size_t bytes) override;
  std::pair<uint64_t, uint64_t> bytes_moved(const BufferSizes& sizes) override;

 private:
  void begin_guarded(DispatchBuffers& buffers);
  void upload_ring(const DispatchBuffers& buffers, bool start_is_kept, bool chunked);
  uint8_t* change_bytes_host(size_t bytes);
  uint8_t* result_ring_host(size_t bytes);
  void pipeline_first_pass(DispatchBuffers& buffers, std::array<uint32_t, stats::WORDS>& stats,
                           DispatchTimings& timings);
  void apply_changes(DispatchBuffers& buffers, const uint8_t* changes, size_t first_slot, size_t end_slot);
  static void apply_changes_serial(DispatchBuffers& buffers, const uint8_t* changes, size_t first_slot, size_t end_slot);
  void check_guards();
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace vyre

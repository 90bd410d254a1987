// The CPU reference interpreter: the megakernel's lane semantics run
// sequentially (lanes in slot order, work-group by work-group), used as the
// oracle of the OpenCL backend and as `vyre dispatch --backend reference`.
#pragma once

#include <array>

#include "vyre/dispatch.h"

namespace vyre {

// One pass of every lane over the buffers (must pass validate_dispatch_buffers).
// SHUTDOWN is sampled at the start of each group of `workgroup_size` lanes,
// as the kernel does.
void reference_pass(DispatchBuffers& buffers, std::array<uint32_t, stats::WORDS>& stats, uint32_t workgroup_size,
                    std::stop_token cancel = {});

class ReferenceRunner final : public PassRunner {
 public:
  explicit ReferenceRunner(uint32_t workgroup_size = 64) : workgroup_size_(workgroup_size ? workgroup_size : 64) {}
  std::string backend_name() const override { return "reference"; }
  std::string device_name() const override { return "CPU reference interpreter"; }
  uint32_t workgroup_size() const override { return workgroup_size_; }
  void begin(DispatchBuffers&, const DispatchOptions&, DispatchTimings&) override {}
  void launch(uint32_t iterations, std::array<uint32_t, stats::WORDS>& stats, DispatchBuffers& buffers,
              DispatchTimings& timings) override;
  void end(DispatchBuffers&, DispatchTimings&) override {}
  void set_cancel(std::stop_token token) override { cancel_ = std::move(token); }

 private:
  uint32_t workgroup_size_;
  std::stop_token cancel_;
};

}  // namespace vyre

// Host memory the device reads and writes by DMA: an OpenCL buffer allocated
// in host memory (CL_MEM_ALLOC_HOST_PTR) and mapped once. Transfers from and
// to it run at the bus's speed; transfers from ordinary (pageable) memory go
// through the driver's own staging copy first, at a fraction of it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vyre/opencl.h"
#include "vyre/dispatch.h"

namespace vyre {

class PinnedMemory {
 public:
  PinnedMemory() = default;
  ~PinnedMemory();
  PinnedMemory(const PinnedMemory&) = delete;
  PinnedMemory& operator=(const PinnedMemory&) = delete;

  // At least `size` bytes (contents not kept when it grows). Throws cl::Error.
  void reserve(const cl::Context& context, const cl::CommandQueue& queue, size_t size);
  uint8_t* data() const { return host_; }
  size_t size() const { return size_; }

 private:
  void release();
  cl::Buffer buffer_;
  cl::CommandQueue queue_;
  uint8_t* host_ = nullptr;
  size_t size_ = 0;
};

// The bus's speed between pinned memory and the device for `bytes` each
// way, from profiling events (the best of a few transfers): what a floor of
// a dispatch's transfers is computed from.
TransferRates measure_pinned_bandwidth(const cl::Context& context, const cl::CommandQueue& queue, size_t bytes);

}  // namespace vyre

#include "vyre/pinned_memory.h"

#include <algorithm>

namespace vyre {

PinnedMemory::~PinnedMemory() { release(); }

void PinnedMemory::release() {
  if (host_) {
    try {
      queue_.enqueueUnmapMemObject(buffer_, host_);
      queue_.finish();
    } catch (const cl::Error&) {
      // The buffer goes with its context either way.
    }
  }
  host_ = nullptr;
  size_ = 0;
}

void PinnedMemory::reserve(const cl::Context& context, const cl::CommandQueue& queue, size_t size) {
  if (size <= size_ && host_) return;
  release();
  const size_t bytes = std::max<size_t>(size, 4096);
  queue_ = queue;
  buffer_ = cl::Buffer(context, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR, bytes);
  host_ = static_cast<uint8_t*>(queue_.enqueueMapBuffer(buffer_, CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, 0, bytes));
  size_ = bytes;
}

TransferRates measure_pinned_bandwidth(const cl::Context& context, const cl::CommandQueue& queue, size_t bytes) {
  bytes = std::max<size_t>(bytes, 1 << 20);
  PinnedMemory host;
  host.reserve(context, queue, bytes);
  std::fill_n(host.data(), bytes, uint8_t{1});
  cl::Buffer device(context, CL_MEM_READ_WRITE, bytes);
  auto best_ms = [&](bool up) {
    double best = 1e30;
    for (int i = 0; i < 4; ++i) {
      cl::Event e;
      if (up) queue.enqueueWriteBuffer(device, CL_TRUE, 0, bytes, host.data(), nullptr, &e);
      else queue.enqueueReadBuffer(device, CL_TRUE, 0, bytes, host.data(), nullptr, &e);
      const double ms = static_cast<double>(e.getProfilingInfo<CL_PROFILING_COMMAND_END>() -
                                            e.getProfilingInfo<CL_PROFILING_COMMAND_START>()) /
                        1e6;
      if (i > 0) best = std::min(best, ms);  // the first warms the path
    }
    return best;
  };
  const double up = best_ms(true), down = best_ms(false);
  return {bytes / (up * 1e6), bytes / (down * 1e6)};
}

}  // namespace vyre

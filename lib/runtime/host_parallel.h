// Host work over large buffers split across the machine's cores: the copy
// of a ring into pinned memory and the scatter of a dispatch's status
// changes run at memory speed, not one core's speed. The threads are kept
// by a pool that a runner owns: starting fifteen threads per dispatch costs
// a few hundred microseconds, a noticeable part of a 1M-slot dispatch.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vyre::detail {

// A spinning thread's pause (the x86 PAUSE hint; nothing elsewhere).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class WorkerPool {
 public:
  // One thread less than the machine's cores: the caller is the last worker.
  WorkerPool();
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs fn(begin, end) over [0, n) in contiguous pieces of at least
  // `grain`, on the pool and the calling thread; returns when all are done.
  // Small work stays on the calling thread.
  void parallel_for(size_t n, size_t grain, const std::function<void(size_t begin, size_t end)>& fn);
  // The threads a parallel_for uses at most, the caller included.
  size_t size() const { return threads_.size() + 1; }
  // memcpy of `size` bytes, split into cache-line multiples across cores.
  void copy(void* dst, const void* src, size_t size);

 private:
  void work(size_t index);
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(size_t, size_t)>* job_ = nullptr;
  size_t n_ = 0, step_ = 0, pieces_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
  bool stopping_ = false;
};

}  // namespace vyre::detail

#include "host_parallel.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace vyre::detail {

WorkerPool::WorkerPool() {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  for (size_t i = 1; i < cores; ++i) threads_.emplace_back([this, i] { work(i); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  start_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::work(size_t index) {
  uint64_t seen = 0;
  for (;;) {
    std::unique_lock lock(mutex_);
    start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    seen = generation_;
    if (index >= pieces_) continue;  // this round needs fewer threads
    const auto* job = job_;
    const size_t begin = std::min(n_, index * step_), end = std::min(n_, begin + step_);
    lock.unlock();
    (*job)(begin, end);
    lock.lock();
    if (--pending_ == 0) done_.notify_one();
  }
}

void WorkerPool::parallel_for(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn) {
  const size_t pieces = std::min(threads_.size() + 1, std::max<size_t>(1, n / std::max<size_t>(grain, 1)));
  if (pieces <= 1) {
    fn(0, n);
    return;
  }
  const size_t step = (n + pieces - 1) / pieces;
  {
    std::lock_guard lock(mutex_);
    job_ = &fn;
    n_ = n;
    step_ = step;
    pieces_ = pieces;
    pending_ = pieces - 1;
    ++generation_;
  }
  start_.notify_all();
  fn(0, std::min(n, step));  // piece 0 on the calling thread
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return pending_ == 0; });
  job_ = nullptr;
}

void WorkerPool::copy(void* dst, const void* src, size_t size) {
  // Cache-line multiples, so two threads never write one line.
  constexpr size_t kLine = 64, kGrain = size_t{4} << 20;
  const size_t lines = (size + kLine - 1) / kLine;
  parallel_for(lines, kGrain / kLine, [&](size_t begin, size_t end) {
    const size_t from = begin * kLine, to = std::min(size, end * kLine);
    std::memcpy(static_cast<char*>(dst) + from, static_cast<const char*>(src) + from, to - from);
  });
}

}  // namespace vyre::detail

#include "host_parallel.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

namespace vyre::detail {

void parallel_for(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn) {
  const size_t cores = std::max<size_t>(1, std::thread::hardware_concurrency());
  const size_t pieces = std::min(cores, std::max<size_t>(1, n / std::max<size_t>(grain, 1)));
  if (pieces <= 1) {
    fn(0, n);
    return;
  }
  std::vector<std::jthread> workers;
  workers.reserve(pieces - 1);
  const size_t step = (n + pieces - 1) / pieces;
  for (size_t p = 1; p < pieces; ++p) {
    const size_t begin = std::min(n, p * step), end = std::min(n, begin + step);
    workers.emplace_back([&fn, begin, end] { fn(begin, end); });
  }
  fn(0, std::min(n, step));
}

void parallel_copy(void* dst, const void* src, size_t size) {
  // Cache-line multiples, so two threads never write one line.
  constexpr size_t kLine = 64, kGrain = size_t{4} << 20;
  const size_t lines = (size + kLine - 1) / kLine;
  parallel_for(lines, kGrain / kLine, [&](size_t begin, size_t end) {
    const size_t from = begin * kLine, to = std::min(size, end * kLine);
    std::memcpy(static_cast<char*>(dst) + from, static_cast<const char*>(src) + from, to - from);
  });
}

}  // namespace vyre::detail

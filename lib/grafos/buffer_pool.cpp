#include "grafos/buffer_pool.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace grafos::detail {

namespace {

// Under AddressSanitizer every buffer comes from operator new, so that an
// access past a region's end is reported instead of landing in the slack of
// a mapping.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif
#else
constexpr bool kPooled = true;
#endif

constexpr size_t kPoolMinBytes = size_t{256} << 10;
constexpr size_t kHugePage = size_t{2} << 20;
// What the pool keeps between runs: a run's regions, output and lane tables
// and the output a caller still holds, not a cache of everything ever used.
constexpr size_t kKeptBlocks = 24;
constexpr size_t kKeptBytes = size_t{2} << 30;

// Zeroes [0, bytes) but `skip`.
void zero_except(void* p, size_t bytes, ByteRange skip) {
  const size_t begin = std::min<uint64_t>(skip.begin, bytes);
  const size_t end = std::clamp<uint64_t>(skip.end, begin, bytes);
  auto* b = static_cast<uint8_t*>(p);
  std::memset(b, 0, begin);
  std::memset(b + end, 0, bytes - end);
}

size_t mapped_size(size_t bytes) {
  const size_t granule = bytes >= kHugePage ? kHugePage : 4096;
  return (bytes + granule - 1) / granule * granule;
}

struct Pool {
  std::mutex m;
  struct Block {
    void* p;
    size_t size;
  };
  std::vector<Block> kept;                  // released, oldest first
  size_t kept_bytes = 0;
  std::unordered_map<void*, size_t> live;  // handed out: a kept block may be larger than its request
};

Pool& pool() {
  static Pool* p = new Pool;  // never destroyed: an output may outlive static destruction
  return *p;
}

}  // namespace

void* acquire_block(size_t bytes, bool zeroed, ByteRange unzeroed) {
  if (!kPooled || bytes < kPoolMinBytes) {
    void* p = ::operator new(bytes == 0 ? 64 : bytes, std::align_val_t{64});
    if (zeroed) zero_except(p, bytes, unzeroed);
    return p;
  }
  const size_t size = mapped_size(bytes);
  Pool& pl = pool();
  std::lock_guard lock(pl.m);
  // The smallest kept block that fits, unless it would waste more than half.
  size_t best = pl.kept.size();
  for (size_t i = 0; i < pl.kept.size(); ++i)
    if (pl.kept[i].size >= size && pl.kept[i].size <= 2 * size &&
        (best == pl.kept.size() || pl.kept[i].size < pl.kept[best].size))
      best = i;
  if (best != pl.kept.size()) {
    const Pool::Block b = pl.kept[best];
    pl.live.emplace(b.p, b.size);
    pl.kept.erase(pl.kept.begin() + static_cast<std::ptrdiff_t>(best));
    pl.kept_bytes -= b.size;
    if (zeroed) zero_except(b.p, bytes, unzeroed);
    return b.p;
  }
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  if (size >= kHugePage) ::madvise(p, size, MADV_HUGEPAGE);  // advice: without THP the pages stay 4 KiB
#endif
  try {
    pl.live.emplace(p, size);
  } catch (...) {
    ::munmap(p, size);
    throw;
  }
  return p;  // a fresh mapping reads as zeros
}

void release_block(void* p, size_t bytes) noexcept {
  if (!p) return;
  if (!kPooled || bytes < kPoolMinBytes) {
    ::operator delete(p, std::align_val_t{64});
    return;
  }
  Pool& pl = pool();
  std::lock_guard lock(pl.m);
  const auto it = pl.live.find(p);
  const size_t size = it != pl.live.end() ? it->second : mapped_size(bytes);
  if (it != pl.live.end()) pl.live.erase(it);
  while (!pl.kept.empty() && (pl.kept.size() >= kKeptBlocks || pl.kept_bytes + size > kKeptBytes)) {
    ::munmap(pl.kept.front().p, pl.kept.front().size);
    pl.kept_bytes -= pl.kept.front().size;
    pl.kept.erase(pl.kept.begin());
  }
  if (size > kKeptBytes) {
    ::munmap(p, size);
    return;
  }
  try {
    pl.kept.push_back({p, size});
    pl.kept_bytes += size;
  } catch (...) {
    ::munmap(p, size);
  }
}

}  // namespace grafos::detail

namespace grafos {

void trim_buffer_pool() noexcept {
  detail::Pool& pl = detail::pool();
  std::lock_guard lock(pl.m);
  for (const auto& b : pl.kept) ::munmap(b.p, b.size);
  pl.kept.clear();
  pl.kept_bytes = 0;
}

}  // namespace grafos

// Host memory for tasklet regions, outputs and the lanes' working tables. A
// fresh 64 MiB buffer costs more than the work done in it: every first
// touch of a 4 KiB page is a fault (about 170 ms for 64 MiB on a small VM,
// 40x a memcpy of it). So buffers of 256 KiB or more are mapped (with
// transparent huge pages from 2 MiB) and, when released, kept for the next
// run of the process (a few, bounded), the way a lease keeps its memory;
// smaller ones come from operator new. The pool keeps at most 2 GiB;
// trim_buffer_pool() gives it all back.
//
// OutputBytes is the output of a run: a vector whose resize() leaves the
// new bytes uninitialised, since a tasklet writes every byte of its output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace grafos {

// Bytes [begin, end) of a buffer.
struct ByteRange {
  uint64_t begin = 0, end = 0;
};

namespace detail {

// 64-byte aligned; zeroed when `zeroed` (a fresh mapping already is), all
// but `unzeroed`, which the caller writes before it reads.
void* acquire_block(size_t bytes, bool zeroed, ByteRange unzeroed = {});
void release_block(void* p, size_t bytes) noexcept;

template <typename T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return static_cast<T*>(acquire_block(n * sizeof(T), false)); }
  void deallocate(T* p, size_t n) noexcept { release_block(p, n * sizeof(T)); }
  // Default-initialisation: resize() does not zero what the tasklet writes anyway.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace detail

// Unmaps every buffer the pool keeps for later runs.
void trim_buffer_pool() noexcept;

// A pooled buffer owned by one scope, e.g. a lane's table.
class PooledBuffer {
 public:
  PooledBuffer(size_t bytes, bool zeroed, ByteRange unzeroed = {})
      : data_(detail::acquire_block(bytes, zeroed, unzeroed)), bytes_(bytes) {}
  ~PooledBuffer() { detail::release_block(data_, bytes_); }
  PooledBuffer(const PooledBuffer&) = delete;
  PooledBuffer& operator=(const PooledBuffer&) = delete;
  template <typename T = uint8_t>
  T* data() const {
    return static_cast<T*>(data_);
  }

 private:
  void* data_;
  size_t bytes_;
};

using OutputBytes = std::vector<uint8_t, detail::PoolAllocator<uint8_t>>;

}  // namespace grafos

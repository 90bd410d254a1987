// One pass of the host sort (sort.cpp) over a lane's share: count an 8-bit
// digit of the keys, then scatter them stably by it. A header of its own so
// that bench/host_sort_passes.cpp measures the same code.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "vyre/detail/words.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace grafos::host_tasklets {

inline constexpr uint32_t kDigits = 256;

// A lane's counts of one digit, in four rows that take the keys in turn, so
// that equal digits close together do not wait on one counter.
struct DigitCounts {
  uint32_t rows[4][kDigits] = {};

  // Counts the digit at `shift` of keys [begin, end), u32 LE words at `keys`.
  void add(const uint8_t* keys, uint64_t begin, uint64_t end, uint32_t shift) {
    using vyre::detail::load_u32;
    uint64_t i = begin;
    for (; i + 4 <= end; i += 4) {
      ++rows[0][(load_u32(keys + 4 * i) >> shift) & 0xFF];
      ++rows[1][(load_u32(keys + 4 * i + 4) >> shift) & 0xFF];
      ++rows[2][(load_u32(keys + 4 * i + 8) >> shift) & 0xFF];
      ++rows[3][(load_u32(keys + 4 * i + 12) >> shift) & 0xFF];
    }
    for (; i < end; ++i) ++rows[0][(load_u32(keys + 4 * i) >> shift) & 0xFF];
  }
  uint32_t operator[](uint32_t v) const { return rows[0][v] + rows[1][v] + rows[2][v] + rows[3][v]; }
};

// Stable scatter of a lane's keys (and values) through a buffer of kRun
// slots per digit and stream, aligned to the destination's cache lines: a
// full buffer goes out as whole lines with non-temporal stores, so the lane
// never reads for ownership a line it overwrites whole (256 interleaved
// write streams otherwise cost a read of every line); a lane's first
// buffer in each bucket, which shares its first line with the range before,
// and its last are written element by element. Per key the work is one
// buffered store and the advance of the digit's index into the buffers; a
// buffer is full when that index reaches a multiple of kRun. On this
// project's 2-core VM, 16M keys, a sort takes 59-61 ms this way and 74-77
// with a fill count that wraps to 0 (a compare and a select more per key);
// pointers in place of the 32-bit indices made sort-pairs slower (its
// pointers and buffers no longer fit the L1 cache). Longer runs make each
// write stream longer, which the memory takes faster: 128-slot runs (128
// KiB of buffers) took a sort from about 120 ms to about 100; sort-pairs,
// with twice the buffers, is fastest with one line.
template <int kStreams, uint32_t kRun>
class LineScatter {
  static_assert(kRun % 16 == 0 && (kRun & (kRun - 1)) == 0, "a digit buffers whole lines, a power of two of them");

 public:
  // Stream s goes to dst[s]; the lane's keys of digit v to indices start[v]...
  LineScatter(std::array<uint32_t*, kStreams> dst, const uint32_t* start) : dst_(dst) {
    for (int s = 0; s < kStreams; ++s) {
      const uint32_t phase = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(dst[s]) / 4 % 16);
      for (uint32_t v = 0; v < kDigits; ++v) {
        const uint32_t fill = (phase + start[v]) % 16;
        first_[v] = start[v];
        next_[s][v] = (static_cast<uint32_t>(s) * kDigits + v) * kRun + fill;
        run_[s][v] = int64_t{start[v]} - fill;  // the index the buffer's slot 0 stands for
      }
    }
  }
  void push(uint32_t digit, std::array<uint32_t, kStreams> words) {
    for (int s = 0; s < kStreams; ++s) {
      uint32_t q = next_[s][digit];
      buf_[q++] = words[s];
      if (q % kRun == 0) {
        flush(s, digit);
        q -= kRun;
      }
      next_[s][digit] = q;
    }
  }
  // Writes what is buffered and orders the lane's stores before the end of
  // the phase.
  void finish() {
    for (int s = 0; s < kStreams; ++s)
      for (uint32_t v = 0; v < kDigits; ++v)
        write_elements(s, v, run_[s][v], next_[s][v] % kRun);
#if defined(__SSE2__)
    _mm_sfence();
#endif
  }

 private:
  // Slots [.., count) of digit v's buffer (slot 0 standing for index `run`)
  // in stream s that are the lane's.
  void write_elements(int s, uint32_t v, int64_t run, uint32_t count) {
    for (int64_t j = std::max<int64_t>(run, first_[v]); j < run + count; ++j) dst_[s][j] = buffer(s, v)[j - run];
  }
  void flush(int s, uint32_t v) {
    const int64_t run = run_[s][v];
    run_[s][v] = run + kRun;
    if (run < first_[v]) {  // the lane's first run in the bucket, shared with others
      write_elements(s, v, run, kRun);
      return;
    }
    uint32_t* d = dst_[s] + run;  // 64-byte aligned: slot 0 of a line
#if defined(__SSE2__)
    const __m128i* src = reinterpret_cast<const __m128i*>(buffer(s, v));
    __m128i* q = reinterpret_cast<__m128i*>(d);
    for (uint32_t i = 0; i < kRun / 4; ++i) _mm_stream_si128(q + i, _mm_load_si128(src + i));
#else
    std::memcpy(d, buffer(s, v), kRun * 4);
#endif
  }

  const uint32_t* buffer(int s, uint32_t v) const { return buf_ + (static_cast<uint32_t>(s) * kDigits + v) * kRun; }

  alignas(64) uint32_t buf_[kStreams * kDigits * kRun];  // stream s, digit v: kRun slots at buffer(s, v)
  std::array<uint32_t*, kStreams> dst_;
  uint32_t next_[kStreams][kDigits];  // the index in buf_ of the digit's next slot
  int64_t run_[kStreams][kDigits];
  int64_t first_[kDigits];
};

}  // namespace grafos::host_tasklets

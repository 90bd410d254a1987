// histogram on the host: one phase in which each data lane counts its share
// of the bytes and adds its 256 counts to the shared totals (atomically:
// lanes finish in any order, the sums do not depend on it); the coordinator
// outputs the totals.
#include <atomic>
#include <cstring>

#include "host_tasklets.h"

namespace grafos::host_tasklets {

namespace {

// Counts stay in u32 tables and are folded into the u64 bins at least every
// this many bytes, before any u32 could overflow.
constexpr uint64_t kFoldBytes = uint64_t{1} << 31;
// From this share on a lane counts 16-bit halves of words into 2^16
// counters, one increment per 2 bytes (the byte counts are the table's row
// and column sums): a core then does half the stores, which bound byte
// counting. Below it the tables cost more than the bytes.
constexpr uint64_t kPairCountingBytes = 256 << 10;
constexpr uint32_t kPairs = 1 << 16;

// Byte counting with four tables, so repeated bytes do not chain stores.
struct ByteCounts {
  uint32_t sub[4][256] = {};
  void count(const uint8_t* in, uint64_t n) {
    uint64_t i = 0;
    for (; i + 4 <= n; i += 4) {
      ++sub[0][in[i]];
      ++sub[1][in[i + 1]];
      ++sub[2][in[i + 2]];
      ++sub[3][in[i + 3]];
    }
    for (; i < n; ++i) ++sub[0][in[i]];
  }
  void fold(uint64_t* bins) {
    for (int v = 0; v < 256; ++v) {
      bins[v] += uint64_t{sub[0][v]} + sub[1][v] + sub[2][v] + sub[3][v];
      sub[0][v] = sub[1][v] = sub[2][v] = sub[3][v] = 0;
    }
  }
};

// Pair counting: four interleaved streams (the quarters of each chunk) keep
// more increments in flight; two tables, so neighbouring increments rarely
// hit one counter.
struct PairCounts {
  PooledBuffer tables{2 * kPairs * sizeof(uint32_t), true};
  ByteCounts odd;  // the bytes that do not make whole 8-byte words
  void count(const uint8_t* in, uint64_t n) {
    uint32_t* t0 = tables.data<uint32_t>();
    uint32_t* t1 = t0 + kPairs;
    const uint64_t quarter = n / 32 * 8;
    const uint8_t* s[4] = {in, in + quarter, in + 2 * quarter, in + 3 * quarter};
    for (uint64_t i = 0; i < quarter; i += 8) {
      uint64_t x[4];
      for (int k = 0; k < 4; ++k) std::memcpy(&x[k], s[k] + i, 8);
      for (int shift = 0; shift < 64; shift += 16) {
        ++t0[(x[0] >> shift) & 0xFFFF];
        ++t1[(x[1] >> shift) & 0xFFFF];
        ++t0[(x[2] >> shift) & 0xFFFF];
        ++t1[(x[3] >> shift) & 0xFFFF];
      }
    }
    odd.count(in + 4 * quarter, n - 4 * quarter);
  }
  void fold(uint64_t* bins) {
    uint32_t* t = tables.data<uint32_t>();
    for (uint32_t v = 0; v < kPairs; ++v) {
      const uint64_t c = uint64_t{t[v]} + t[kPairs + v];
      bins[v & 0xFF] += c;  // the LE word's lower byte
      bins[v >> 8] += c;    // and its upper byte
      t[v] = t[kPairs + v] = 0;
    }
    odd.fold(bins);
  }
};

template <typename Counts>
void count_share(const auto& w, Partition share, Counts& counts, uint64_t* bins) {
  const uint8_t* in = w.input().data();
  uint64_t since_fold = 0;
  for_each_chunk(w, share, 1, [&](uint64_t b, uint64_t e) {
    counts.count(in + b, e - b);
    if ((since_fold += e - b) >= kFoldBytes - kFuelChunkBytes) {
      counts.fold(bins);
      since_fold = 0;
    }
  });
  counts.fold(bins);
}

}  // namespace

SharedTaskletResult histogram_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return builder_for<NoState, NoState>(config, input).launch([](auto& coord) {
    coord.parallel_for_workers([](auto& w) {
      const Partition share = w.partition_of(w.input().size());
      uint64_t bins[256] = {};
      if (share.size() >= kPairCountingBytes) {
        PairCounts counts;
        count_share(w, share, counts, bins);
      } else {
        ByteCounts counts;
        count_share(w, share, counts, bins);
      }
      auto totals = w.shared_region().template array<uint64_t>(0, 256);
      for (int v = 0; v < 256; ++v)
        if (bins[v]) std::atomic_ref<uint64_t>(totals[v]).fetch_add(bins[v], std::memory_order_relaxed);
    });
    auto totals = coord.shared_region().template array<uint64_t>(0, 256);
    coord.set_output(std::span<const uint64_t>(totals.data(), 256));
  });
}

RegionSizes histogram_sizes(uint64_t, uint32_t) { return {256 * 8, 0}; }

}  // namespace grafos::host_tasklets

// sort and sort-pairs on the host: an LSD radix sort of the u32 keys by four
// 8-bit digits, lowest first, each pass stable, so the whole sort is stable
// and sort-pairs carries each value with its key. Per digit two phases:
//   count    each data lane counts the digit over its share of the keys
//            into its row of the count table (lanes x 256 u32);
//   (coordinator) each table entry becomes the number of keys with that
//            digit in the shares before the lane's, and the digit bases the
//            number of keys with a smaller digit;
//   scatter  each lane moves its share, in order, to base + entry + rank.
// The data ping-pongs input -> A -> output -> A -> output, A being the
// shared region's copy. kernels/tasklets/sort.cl is the same algorithm with
// the same table, layout and phases.
#include <array>
#include <cstdint>
#include <cstring>

#include "host_tasklets.h"
#include "vyre/detail/words.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace grafos::host_tasklets {

namespace {

using vyre::detail::load_u32;

constexpr uint32_t kDigits = 256;
constexpr uint32_t kPasses = 4;

// The shared region: the count table, the digit bases, then A.
struct SortLayout {
  uint64_t n;  // keys
  uint32_t lanes;
  uint64_t words_per_key;  // 1, or 2 with a value
  uint64_t table() const { return 0; }
  uint64_t bases() const { return uint64_t{lanes} * kDigits * 4; }
  uint64_t a() const { return (bases() + kDigits * 4 + 63) / 64 * 64; }
  uint64_t shared_bytes() const { return a() + n * words_per_key * 4; }
};

// Stable scatter of a lane's keys (and values) through a buffer of kRun
// slots per digit and stream, aligned to the destination's cache lines: a
// full buffer goes out as whole lines with non-temporal stores, so the lane
// never reads for ownership a line it overwrites whole (256 interleaved
// write streams otherwise cost a read of every line); a lane's first
// buffer in each bucket, which shares its first line with the range before,
// and its last are written element by element. Per key the work is one
// buffered store and a fill count. Longer runs make each write stream
// longer, which the memory takes faster: on this project's 2-core VM, 16M
// keys, 128-slot runs (128 KiB of buffers) take a sort from about 120 ms to
// about 100; sort-pairs, with twice the buffers, is fastest with one line.
template <int kStreams, uint32_t kRun>
class LineScatter {
  static_assert(kRun % 16 == 0 && kRun <= UINT16_MAX, "a digit buffers whole lines, counted in 16 bits");

 public:
  // Stream s goes to dst[s]; the lane's keys of digit v to indices start[v]...
  LineScatter(std::array<uint32_t*, kStreams> dst, const uint32_t* start) : dst_(dst) {
    for (int s = 0; s < kStreams; ++s) {
      const uint32_t phase = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(dst[s]) / 4 % 16);
      for (uint32_t v = 0; v < kDigits; ++v) {
        first_[v] = start[v];
        fill_[s][v] = static_cast<uint16_t>((phase + start[v]) % 16);
        run_[s][v] = int64_t{start[v]} - fill_[s][v];  // the index the buffer's slot 0 stands for
      }
    }
  }
  void push(uint32_t digit, std::array<uint32_t, kStreams> words) {
    for (int s = 0; s < kStreams; ++s) {
      const uint32_t f = fill_[s][digit];
      buf_[s][digit][f] = words[s];
      fill_[s][digit] = static_cast<uint16_t>(f + 1 == kRun ? 0 : f + 1);
      if (f + 1 == kRun) flush(s, digit);
    }
  }
  // Writes what is buffered and orders the lane's stores before the end of
  // the phase.
  void finish() {
    for (int s = 0; s < kStreams; ++s)
      for (uint32_t v = 0; v < kDigits; ++v) write_elements(s, v, run_[s][v], fill_[s][v]);
#if defined(__SSE2__)
    _mm_sfence();
#endif
  }

 private:
  // Slots [.., count) of digit v's buffer (slot 0 standing for index `run`)
  // in stream s that are the lane's.
  void write_elements(int s, uint32_t v, int64_t run, uint32_t count) {
    for (int64_t j = std::max<int64_t>(run, first_[v]); j < run + count; ++j) dst_[s][j] = buf_[s][v][j - run];
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
    const __m128i* src = reinterpret_cast<const __m128i*>(buf_[s][v]);
    __m128i* q = reinterpret_cast<__m128i*>(d);
    for (uint32_t i = 0; i < kRun / 4; ++i) _mm_stream_si128(q + i, _mm_load_si128(src + i));
#else
    std::memcpy(d, buf_[s][v], kRun * 4);
#endif
  }

  alignas(64) uint32_t buf_[kStreams][kDigits][kRun];
  std::array<uint32_t*, kStreams> dst_;
  uint16_t fill_[kStreams][kDigits];
  int64_t run_[kStreams][kDigits];
  int64_t first_[kDigits];
};

template <bool kPairs>
SharedTaskletResult radix_sort_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  constexpr uint64_t kWords = kPairs ? 2 : 1;
  return builder_for<NoState, NoState>(config, input).launch([](auto& coord) {
    const SortLayout layout{coord.input().size() / (4 * kWords), coord.data_worker_count(), kWords};
    const uint64_t n = layout.n;
    if (n > UINT32_MAX)
      throw TaskletError(TaskletErrorKind::InvalidConfig,
                         "invalid tasklet configuration: the sort counts keys in u32, so at most 2^32 - 1 keys");
    auto table = coord.shared_region().template array<uint32_t>(layout.table(), uint64_t{layout.lanes} * kDigits);
    auto bases = coord.shared_region().template array<uint32_t>(layout.bases(), kDigits);
    const uint8_t* in = coord.input().data();
    uint32_t* a = coord.shared_region().template array<uint32_t>(layout.a(), n * kWords).data();
    uint32_t* out = coord.output_region(n * 4 * kWords).template array<uint32_t>(0, n * kWords).data();
    for (uint32_t pass = 0; pass < kPasses; ++pass) {
      const uint32_t shift = 8 * pass;
      // input -> A -> output -> A -> output
      const uint8_t* src = pass == 0 ? in : reinterpret_cast<const uint8_t*>(pass % 2 == 1 ? a : out);
      uint32_t* dst = pass % 2 == 0 ? a : out;
      coord.parallel_for_workers([&](auto& w) {
        uint32_t h[4][kDigits] = {};
        for_each_chunk(w, w.partition_of(n), 4, [&](uint64_t b, uint64_t e) {
          uint64_t i = b;
          for (; i + 4 <= e; i += 4) {
            ++h[0][(load_u32(src + 4 * i) >> shift) & 0xFF];
            ++h[1][(load_u32(src + 4 * i + 4) >> shift) & 0xFF];
            ++h[2][(load_u32(src + 4 * i + 8) >> shift) & 0xFF];
            ++h[3][(load_u32(src + 4 * i + 12) >> shift) & 0xFF];
          }
          for (; i < e; ++i) ++h[0][(load_u32(src + 4 * i) >> shift) & 0xFF];
        });
        uint32_t* row = table.data() + uint64_t{w.data_worker_index()} * kDigits;
        for (uint32_t v = 0; v < kDigits; ++v) row[v] = h[0][v] + h[1][v] + h[2][v] + h[3][v];
      });
      uint32_t before = 0;
      for (uint32_t v = 0; v < kDigits; ++v) {
        uint32_t running = 0;
        for (uint32_t k = 0; k < layout.lanes; ++k) running += std::exchange(table[uint64_t{k} * kDigits + v], running);
        bases[v] = before;
        before += running;
      }
      coord.parallel_for_workers([&](auto& w) {
        const Partition share = w.partition_of(n);
        uint32_t start[kDigits];
        const uint32_t* row = table.data() + uint64_t{w.data_worker_index()} * kDigits;
        for (uint32_t v = 0; v < kDigits; ++v) start[v] = bases[v] + row[v];
        std::array<uint32_t*, kWords> streams;
        streams[0] = dst;
        if constexpr (kPairs) streams[1] = dst + n;
        LineScatter<kWords, kPairs ? 16 : 128> scatter(streams, start);
        // Copies of what the loop reads, which no buffered store can alias.
        const uint8_t* const keys = src;
        const uint8_t* const values = src + 4 * n;
        const uint32_t sh = shift;
        for_each_chunk(w, share, 4 * kWords, [&](uint64_t b, uint64_t e) {
          for (uint64_t i = b; i < e; ++i) {
            const uint32_t key = load_u32(keys + 4 * i);
            if constexpr (kPairs) scatter.push((key >> sh) & 0xFF, {key, load_u32(values + 4 * i)});
            else scatter.push((key >> sh) & 0xFF, {key});
          }
        });
        scatter.finish();
      });
    }
  });
}

}  // namespace

SharedTaskletResult sort_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return radix_sort_host<false>(config, input);
}
SharedTaskletResult sort_pairs_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return radix_sort_host<true>(config, input);
}

RegionSizes sort_sizes(uint64_t input_len, uint32_t workers) {
  // sort-pairs inputs are 8 bytes per key, sort inputs 4: the copy A is
  // the input's size either way, and the table needs the lanes only.
  const SortLayout layout{0, workers - 1, 1};
  return {layout.a() + input_len / 4 * 4, 0};
}

}  // namespace grafos::host_tasklets

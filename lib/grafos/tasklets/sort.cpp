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

#include "host_tasklets.h"
#include "radix_pass.h"
#include "vyre/detail/words.h"

namespace grafos::host_tasklets {

namespace {

using vyre::detail::load_u32;

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

template <bool kPairs>
SharedTaskletResult radix_sort_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  constexpr uint64_t kWords = kPairs ? 2 : 1;
  // The data lanes are workers - 1 (fewer than 2 workers wrap here, and
  // launch() rejects them before the coordinator runs).
  const SortLayout layout{input.size() / (4 * kWords), config.workers - 1, kWords};
  auto builder = builder_for<NoState, NoState>(config, input);
  // The first pass writes all of A before any pass reads it.
  builder.shared_written_before_read(layout.a(), layout.n * kWords * 4);
  return builder.launch([&layout](auto& coord) {
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
        DigitCounts counts;
        for_each_chunk(w, w.partition_of(n), 4, [&](uint64_t b, uint64_t e) { counts.add(src, b, e, shift); });
        uint32_t* row = table.data() + uint64_t{w.data_worker_index()} * kDigits;
        for (uint32_t v = 0; v < kDigits; ++v) row[v] = counts[v];
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

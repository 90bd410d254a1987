// prefix-sum and exclusive-prefix-sum on the host, reduce-then-scan:
// phase 1, each data lane sums its share of the words into the shared
// totals; between phases the coordinator turns the totals into the sum of
// everything before each share; phase 2, each lane scans its share from
// that offset straight into the output region. The input is read twice and
// the output written once; nothing else is copied.
#include "host_tasklets.h"
#include "vyre/detail/words.h"

namespace grafos::host_tasklets {

namespace {

template <bool kExclusive>
uint32_t scan_words(const uint8_t* in, uint32_t* out, uint64_t count, uint32_t carry) {
  for (uint64_t i = 0; i < count; ++i) {
    const uint32_t x = vyre::detail::load_u32(in + 4 * i);
    if constexpr (kExclusive) {
      out[i] = carry;
      carry += x;
    } else {
      out[i] = carry += x;
    }
  }
  return carry;
}

template <bool kExclusive>
SharedTaskletResult scan_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return builder_for<NoState, NoState>(config, input).launch([](auto& coord) {
    const uint64_t n = coord.input().size() / 4;
    const uint32_t d = coord.data_worker_count();
    coord.parallel_for_workers([](auto& w) {
      auto totals = w.shared_region().template array<uint32_t>(0, w.data_worker_count());
      uint32_t sum = 0;
      for_each_chunk(w, w.partition_of(w.input().size() / 4), 4, [&](uint64_t b, uint64_t e) {
        sum += static_cast<uint32_t>(sum_words(w.input().data() + 4 * b, e - b));
      });
      totals[w.data_worker_index()] = sum;
    });
    auto totals = coord.shared_region().template array<uint32_t>(0, d);
    uint32_t running = 0;
    for (uint32_t i = 0; i < d; ++i) running += std::exchange(totals[i], running);
    coord.output_region(n * 4);
    coord.parallel_for_workers([n](auto& w) {
      uint32_t carry = w.shared_region().template array<uint32_t>(0, w.data_worker_count())[w.data_worker_index()];
      uint32_t* out = w.output_region().template array<uint32_t>(0, n).data();
      for_each_chunk(w, w.partition_of(n), 4, [&](uint64_t b, uint64_t e) {
        carry = scan_words<kExclusive>(w.input().data() + 4 * b, out + b, e - b, carry);
      });
    });
  });
}

}  // namespace

SharedTaskletResult prefix_sum_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return scan_host<false>(config, input);
}
SharedTaskletResult exclusive_prefix_sum_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return scan_host<true>(config, input);
}

RegionSizes prefix_sum_sizes(uint64_t, uint32_t workers) { return {uint64_t{workers - 1} * 4, 0}; }

}  // namespace grafos::host_tasklets

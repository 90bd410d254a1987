// sum on the host: one phase in which each data lane sums its share of the
// words into its scratch; the coordinator adds the lanes' sums.
#include "host_tasklets.h"
#include "vyre/detail/words.h"

namespace grafos::host_tasklets {

uint64_t sum_words(const uint8_t* p, uint64_t count) {
  uint64_t s = 0;
  for (uint64_t i = 0; i < count; ++i) s += vyre::detail::load_u32(p + 4 * i);
  return s;
}

namespace {
struct SumScratch {
  uint64_t partial;
};
}  // namespace

SharedTaskletResult sum_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return builder_for<NoState, SumScratch>(config, input).launch([](auto& coord) {
    coord.parallel_for_workers([](auto& w) {
      const uint8_t* in = w.input().data();
      uint64_t sum = 0;
      for_each_chunk(w, w.partition_of(w.input().size() / 4), 4,
                     [&](uint64_t b, uint64_t e) { sum += sum_words(in + 4 * b, e - b); });
      w.scratch().get().partial = sum;
    });
    uint64_t total = 0;
    for (uint32_t i = 0; i < coord.data_worker_count(); ++i) total += coord.data_scratch(i).get().partial;
    coord.set_output(std::span<const uint64_t>(&total, 1));
  });
}

RegionSizes sum_sizes(uint64_t, uint32_t) { return {0, sizeof(SumScratch)}; }

}  // namespace grafos::host_tasklets

// prefix-sum and exclusive-prefix-sum on the host, reduce-then-scan:
// phase 1, each data lane sums its share of the words into the shared
// totals; between phases the coordinator turns the totals into the sum of
// everything before each share; phase 2, each lane scans its share from
// that offset straight into the output region. The input is read twice and
// the output written once; nothing else is copied.
#include "host_tasklets.h"
#include "vyre/detail/words.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace grafos::host_tasklets {

namespace {

template <bool kExclusive>
uint32_t scan_scalar(const uint8_t* in, uint32_t* out, uint64_t count, uint32_t carry) {
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

// Scans `count` words from `in` into `out` after `carry`; returns the new
// carry. A serial scan is one add per word in a chain of adds; with SSE2
// eight words take two chained adds (each vector is scanned on its own by
// shifts, the carry joins last), and the sums go out with non-temporal
// stores, which do not read the output lines they overwrite.
template <bool kExclusive>
uint32_t scan_words(const uint8_t* in, uint32_t* out, uint64_t count, uint32_t carry) {
#if defined(__SSE2__)
  const uint64_t head = std::min<uint64_t>(count, (16 - reinterpret_cast<uintptr_t>(out) % 16) % 16 / 4);
  carry = scan_scalar<kExclusive>(in, out, head, carry);
  uint64_t i = head;
  __m128i c = _mm_set1_epi32(static_cast<int>(carry));
  auto scan4 = [](__m128i x) {
    x = _mm_add_epi32(x, _mm_slli_si128(x, 4));
    return _mm_add_epi32(x, _mm_slli_si128(x, 8));
  };
  for (; i + 8 <= count; i += 8) {
    const __m128i x0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 4 * i));
    const __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 4 * i + 16));
    const __m128i s0 = scan4(x0);
    const __m128i s1 = _mm_add_epi32(scan4(x1), _mm_shuffle_epi32(s0, 0xFF));
    const __m128i y0 = _mm_add_epi32(s0, c), y1 = _mm_add_epi32(s1, c);
    c = _mm_shuffle_epi32(y1, 0xFF);
    _mm_stream_si128(reinterpret_cast<__m128i*>(out + i), kExclusive ? _mm_sub_epi32(y0, x0) : y0);
    _mm_stream_si128(reinterpret_cast<__m128i*>(out + i + 4), kExclusive ? _mm_sub_epi32(y1, x1) : y1);
  }
  _mm_sfence();  // the lanes' stores are ordered before the phase ends
  return scan_scalar<kExclusive>(in + 4 * i, out + i, count - i, static_cast<uint32_t>(_mm_cvtsi128_si32(c)));
#else
  return scan_scalar<kExclusive>(in, out, count, carry);
#endif
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

// One pass of the host sort (lib/grafos/tasklets/radix_pass.h: count a
// digit, then scatter by it), part by part, beside a memcpy of the same
// bytes and the plain read and write of them, all measured in the same run:
// what the four passes of an 8-bit LSD sort can reach on this machine, and
// which part holds them back. Then whole sorts of the same keys, again
// beside a memcpy: the grafos host sort (as grafos bench runs it) and, as
// anchors for what this machine's cores do with a sort, the textbook
// one-thread LSD radix sort (one pass for all four digit histograms, then
// four plain scatters) and std::sort.
//
//   bench/host_sort_passes [--mib N] [--threads N] [--reps N] [--no-whole]
//
// Every pass row but memcpy runs on --threads threads (default: one per CPU
// the process may use, as the sort's data lanes), each over its share of
// the keys; the grafos sort runs with --threads data lanes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sys/mman.h>

#include "grafos/builtin_tasklets.h"
#include "grafos/cpu_affinity.h"
#include "radix_pass.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

using grafos::host_tasklets::DigitCounts;
using grafos::host_tasklets::kDigits;
using grafos::host_tasklets::LineScatter;
using Clock = std::chrono::steady_clock;

namespace {

volatile uint64_t g_sink;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// body(thread, begin, end) on `threads` threads over [0, n); the wall in ms.
double on_threads(uint32_t threads, uint64_t n, const std::function<void(uint32_t, uint64_t, uint64_t)>& body) {
  const auto t0 = Clock::now();
  {
    std::vector<std::jthread> pool;
    for (uint32_t t = 0; t < threads; ++t)
      pool.emplace_back([&, t] { body(t, n * t / threads, n * (t + 1) / threads); });
  }
  return ms_since(t0);
}

// Huge pages where the kernel grants them, as the grafos buffer pool asks
// for its regions: with 4 KiB pages the scatter's 256 write streams miss the
// TLB, which the sort does not.
struct Keys {
  explicit Keys(uint64_t n) : bytes((n * 4 + kHuge - 1) / kHuge * kHuge) {
    p = static_cast<uint32_t*>(std::aligned_alloc(kHuge, bytes));
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    ::madvise(p, bytes, MADV_HUGEPAGE);
#endif
    std::memset(p, 1, bytes);
  }
  ~Keys() { std::free(p); }
  Keys(const Keys&) = delete;
  Keys& operator=(const Keys&) = delete;
  uint32_t& operator[](uint64_t i) { return p[i]; }
  uint32_t* data() { return p; }
  static constexpr uint64_t kHuge = uint64_t{2} << 20;
  uint64_t bytes;
  uint32_t* p;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The textbook LSD radix sort on one thread: the histograms of all four
// digits in one read, then four scatters, keys ping-ponging a <-> tmp.
void textbook_lsd(uint32_t* a, uint32_t* tmp, uint64_t n) {
  std::vector<uint32_t> next(4 * kDigits);
  for (uint64_t i = 0; i < n; ++i) {
    const uint32_t key = a[i];
    for (uint32_t p = 0; p < 4; ++p) ++next[p * kDigits + ((key >> (8 * p)) & 0xFF)];
  }
  for (uint32_t p = 0; p < 4; ++p) {
    uint32_t before = 0;
    for (uint32_t v = 0; v < kDigits; ++v) before += std::exchange(next[p * kDigits + v], before);
  }
  for (uint32_t p = 0; p < 4; ++p) {
    uint32_t* o = next.data() + p * kDigits;
    for (uint64_t i = 0; i < n; ++i) {
      const uint32_t key = a[i];
      tmp[o[(key >> (8 * p)) & 0xFF]++] = key;
    }
    std::swap(a, tmp);
  }
}

// One run of the grafos host sort; its wall_ms is what grafos bench reports.
grafos::SharedTaskletResult grafos_sort(const uint8_t* keys, uint64_t n, uint32_t lanes) {
  const grafos::BuiltinTasklet& sort = *grafos::find_builtin_tasklet("sort");
  return sort.run_host(grafos::builtin_config(sort, n * 4, lanes + 1), {keys, n * 4});
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t mib = 64;
  uint32_t threads = grafos::detail::usable_cpus();
  int reps = 9;
  bool whole = true;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (!std::strcmp(argv[i], "--no-whole")) whole = false;
    else if (!std::strcmp(argv[i], "--mib") && has_value) mib = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--threads") && has_value) threads = std::max(1ul, std::strtoul(argv[++i], nullptr, 10));
    else if (!std::strcmp(argv[i], "--reps") && has_value) reps = std::max(1, std::atoi(argv[++i]));
    else {
      std::fprintf(stderr, "host_sort_passes: unknown option %s. Fix: see the comment at the top of bench/host_sort_passes.cpp\n", argv[i]);
      return 2;
    }
  }
  if (mib == 0 || mib > (uint64_t{1} << 14)) {
    std::fprintf(stderr, "host_sort_passes: --mib must be 1 to 16384 (the keys' size in MiB)\n");
    return 2;
  }
  const uint64_t n = (mib << 20) / 4;
  Keys keys(n), copy(n), dst(n);
  std::mt19937_64 rng(1);  // the keys grafos bench --size generates
  for (uint64_t i = 0; i + 1 < n; i += 2) {
    const uint64_t v = rng();
    std::memcpy(&keys[i], &v, 8);
  }
  const uint32_t shift = 8;  // the second pass's digit: what a middle pass sees
  std::vector<uint32_t> table(uint64_t{threads} * kDigits);

  std::vector<double> t_memcpy, t_read, t_write, t_count, t_scatter;
  for (int r = 0; r <= reps; ++r) {  // rep 0 warms up
    const auto t0 = Clock::now();
    std::memcpy(copy.data(), keys.data(), n * 4);
    const double memcpy_ms = ms_since(t0);

    const double read_ms = on_threads(threads, n, [&](uint32_t, uint64_t b, uint64_t e) {
      uint64_t s = 0;
      for (uint64_t i = b; i < e; ++i) s += keys[i];
      g_sink = s;
    });
    // Whole lines with non-temporal stores, as the scatter writes its runs.
    const double write_ms = on_threads(threads, n, [&](uint32_t, uint64_t b, uint64_t e) {
      uint64_t i = b;
#if defined(__SSE2__)
      for (; i < e && i % 16 != 0; ++i) dst[i] = 0;
      const __m128i z = _mm_set1_epi32(r);
      for (; i + 16 <= e; i += 16)
        for (int q = 0; q < 4; ++q) _mm_stream_si128(reinterpret_cast<__m128i*>(&dst[i + 4 * q]), z);
      _mm_sfence();
#endif
      for (; i < e; ++i) dst[i] = 0;
    });
    const double count_ms = on_threads(threads, n, [&](uint32_t t, uint64_t b, uint64_t e) {
      DigitCounts counts;
      counts.add(reinterpret_cast<const uint8_t*>(keys.data()), b, e, shift);
      for (uint32_t v = 0; v < kDigits; ++v) table[uint64_t{t} * kDigits + v] = counts[v];
    });
    // The coordinator's step: each thread's first index per digit.
    std::vector<uint32_t> start(table.size());
    uint32_t before = 0;
    for (uint32_t v = 0; v < kDigits; ++v)
      for (uint32_t t = 0; t < threads; ++t) {
        start[uint64_t{t} * kDigits + v] = before;
        before += table[uint64_t{t} * kDigits + v];
      }
    const double scatter_ms = on_threads(threads, n, [&](uint32_t t, uint64_t b, uint64_t e) {
      auto scatter = std::make_unique<LineScatter<1, 128>>(std::array<uint32_t*, 1>{dst.data()},
                                                           start.data() + uint64_t{t} * kDigits);
      const uint32_t* const k = keys.data();  // a copy no buffered store can alias, as in sort.cpp
      for (uint64_t i = b; i < e; ++i) scatter->push((k[i] >> shift) & 0xFF, {k[i]});
      scatter->finish();
    });
    if (r == 0) continue;
    t_memcpy.push_back(memcpy_ms);
    t_read.push_back(read_ms);
    t_write.push_back(write_ms);
    t_count.push_back(count_ms);
    t_scatter.push_back(scatter_ms);
  }
  // A scatter that lost or misplaced a key would make every row meaningless.
  for (uint64_t i = 1; i < n; ++i)
    if (((dst[i - 1] >> shift) & 0xFF) > ((dst[i] >> shift) & 0xFF)) {
      std::fprintf(stderr, "host_sort_passes: the scatter's output is out of order at key %llu\n",
                   static_cast<unsigned long long>(i));
      return 1;
    }

  const double m = median(t_memcpy);
  std::printf("host sort, one pass over %llu MiB (%llu u32 keys), %u threads, medians of %d runs\n",
              static_cast<unsigned long long>(mib), static_cast<unsigned long long>(n), threads, reps);
  std::printf("%-28s %10s %12s\n", "part", "ms", "memcpy / it");
  auto row = [&](const char* name, double ms) { std::printf("%-28s %10.2f %11.2fx\n", name, ms, m / ms); };
  row("memcpy (1 thread)", m);
  row("read the keys", median(t_read));
  row("write them (whole lines)", median(t_write));
  row("count a digit", median(t_count));
  row("scatter by it (LineScatter)", median(t_scatter));
  const double four = 4 * (median(t_count) + median(t_scatter));
  row("4 x (count + scatter)", four);
  std::printf("the scatter takes %.1fx its own read + write; four passes reach %.3fx of the memcpy\n",
              median(t_scatter) / (median(t_read) + median(t_write)), m / four);
  if (!whole) return 0;

  // Whole sorts, in turn with a memcpy each rep; every output checked
  // against std::sort's.
  std::vector<double> w_memcpy, w_grafos, w_lsd, w_std;
  std::vector<uint32_t> expected(keys.data(), keys.data() + n);
  std::sort(expected.begin(), expected.end());
  const auto same = [&](const uint32_t* got, const char* who) {
    if (std::memcmp(got, expected.data(), n * 4) == 0) return true;
    std::fprintf(stderr, "host_sort_passes: %s did not sort the keys\n", who);
    return false;
  };
  for (int r = 0; r <= reps; ++r) {
    auto t0 = Clock::now();
    std::memcpy(copy.data(), keys.data(), n * 4);
    const double memcpy_ms = ms_since(t0);
    const grafos::SharedTaskletResult sorted = grafos_sort(reinterpret_cast<const uint8_t*>(keys.data()), n, threads);
    const double grafos_ms = sorted.wall_ms;
    const auto& out = sorted.output;
    if (out.size() != n * 4 || !same(reinterpret_cast<const uint32_t*>(out.data()), "the grafos sort")) return 1;
    std::memcpy(copy.data(), keys.data(), n * 4);
    t0 = Clock::now();
    textbook_lsd(copy.data(), dst.data(), n);
    const double lsd_ms = ms_since(t0);
    if (!same(copy.data(), "the textbook LSD sort")) return 1;
    std::memcpy(copy.data(), keys.data(), n * 4);
    t0 = Clock::now();
    std::sort(copy.data(), copy.data() + n);
    const double std_ms = ms_since(t0);
    if (r == 0) continue;
    w_memcpy.push_back(memcpy_ms);
    w_grafos.push_back(grafos_ms);
    w_lsd.push_back(lsd_ms);
    w_std.push_back(std_ms);
  }
  const double wm = median(w_memcpy);
  std::printf("\nwhole sorts of the same keys, medians of %d runs, each beside a memcpy (median %.2f ms)\n", reps, wm);
  std::printf("%-36s %10s %12s\n", "sort", "ms", "memcpy / it");
  auto whole_row = [&](const std::string& name, double ms) { std::printf("%-36s %10.2f %11.3fx\n", name.c_str(), ms, wm / ms); };
  whole_row("grafos sort, host, " + std::to_string(threads) + " data lanes", median(w_grafos));
  whole_row("textbook LSD radix sort, 1 thread", median(w_lsd));
  whole_row("std::sort, 1 thread", median(w_std));
  return 0;
}

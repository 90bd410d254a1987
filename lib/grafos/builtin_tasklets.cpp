#include "grafos/builtin_tasklets.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>

#include "grafos/tasklet.h"
#include "vyre/detail/words.h"

namespace grafos {

namespace {

using vyre::detail::load_u32;
// sort copies input words and every tasklet emits its results as native
// u32/u64 arrays, which are the LE wire format only on LE hosts.
static_assert(std::endian::native == std::endian::little, "the host tasklets emit native words as LE");

template <typename Ctx>
void pay_fuel(const Ctx& ctx, uint64_t bytes) {
  if (ctx.fuel_metered()) ctx.fuel_checkpoint(fuel_units(bytes));
}

struct NoState {};

// A builder carrying every setting of `config`.
template <typename S, typename W>
SharedTaskletBuilder<S, W> builder_for(const TaskletConfig& config, std::span<const uint8_t> input) {
  SharedTaskletBuilder<S, W> b;
  b.cores(config.cores).workers(config.workers).shared_bytes(config.shared_bytes)
      .scratch_bytes_per_worker(config.scratch_bytes_per_worker).max_linear_memory(config.max_linear_memory)
      .cancel_token(config.cancel).input(input);
  if (config.max_fuel) b.with_max_fuel(*config.max_fuel);
  if (config.deadline) b.deadline(*config.deadline);
  return b;
}

// ---- sum ------------------------------------------------------------------
struct SumScratch {
  uint64_t partial;
};

SharedTaskletResult sum_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return builder_for<NoState, SumScratch>(config, input).launch([](auto& coord) {
    coord.parallel_for_workers([](auto& w) {
      const auto words = w.input().size() / 4;
      const Partition part = w.partition_of(words);
      uint64_t sum = 0;
      for (uint64_t chunk = part.begin; chunk < part.end; chunk += kFuelChunkBytes / 4) {
        const uint64_t end = std::min<uint64_t>(chunk + kFuelChunkBytes / 4, part.end);
        pay_fuel(w, (end - chunk) * 4);
        const uint8_t* p = w.input().data() + chunk * 4;
        uint64_t s = 0;
        for (uint64_t i = 0; i < end - chunk; ++i) s += load_u32(p + 4 * i);
        sum += s;
        if (w.cancelled()) w.check_cancelled();
      }
      w.scratch().get().partial = sum;
    });
    uint64_t total = 0;
    for (uint32_t i = 0; i < coord.data_worker_count(); ++i) total += coord.data_scratch(i).get().partial;
    coord.set_output(std::span<const uint64_t>(&total, 1));
  });
}

RegionSizes sum_sizes(uint64_t, uint32_t) { return {0, sizeof(SumScratch)}; }

// ---- histogram ------------------------------------------------------------
struct HistScratch {
  uint64_t bins[256];
};

SharedTaskletResult histogram_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return builder_for<NoState, HistScratch>(config, input).launch([](auto& coord) {
    const uint32_t data = coord.data_worker_count();
    // Phase 1: each worker counts its bytes into its scratch.
    coord.parallel_for_workers([](auto& w) {
      const Partition part = w.partition_of(w.input().size());
      uint64_t* bins = w.scratch().get().bins;
      // Four interleaved sub-counts break the store-to-load chains of
      // repeated bytes; u32 counters are flushed every chunk.
      uint32_t sub[4][256] = {};
      const uint8_t* in = w.input().data();
      for (uint64_t chunk = part.begin; chunk < part.end; chunk += kFuelChunkBytes) {
        const uint64_t end = std::min<uint64_t>(chunk + kFuelChunkBytes, part.end);
        pay_fuel(w, end - chunk);
        uint64_t i = chunk;
        for (; i + 4 <= end; i += 4) {
          ++sub[0][in[i]];
          ++sub[1][in[i + 1]];
          ++sub[2][in[i + 2]];
          ++sub[3][in[i + 3]];
        }
        for (; i < end; ++i) ++sub[0][in[i]];
        for (int v = 0; v < 256; ++v) {
          bins[v] += uint64_t{sub[0][v]} + sub[1][v] + sub[2][v] + sub[3][v];
          sub[0][v] = sub[1][v] = sub[2][v] = sub[3][v] = 0;
        }
        if (w.cancelled()) w.check_cancelled();
      }
    });
    // Phase 2: each worker publishes its counts as one row of the shared region.
    coord.parallel_for_workers([](auto& w) {
      auto rows = w.shared_region().template array<uint64_t>(0, uint64_t{w.data_worker_count()} * 256);
      std::copy_n(w.scratch().get().bins, 256, rows.begin() + uint64_t{w.data_worker_index()} * 256);
    });
    // Phase 3: each worker sums a slice of the bins over all rows.
    coord.parallel_for_workers([](auto& w) {
      const uint32_t d = w.data_worker_count();
      auto rows = w.shared_region().template array<uint64_t>(0, uint64_t{d} * 256 + 256);
      const Partition bins = w.partition_of(256);
      for (uint64_t v = bins.begin; v < bins.end; ++v) {
        uint64_t total = 0;
        for (uint32_t r = 0; r < d; ++r) total += rows[uint64_t{r} * 256 + v];
        rows[uint64_t{d} * 256 + v] = total;
      }
    });
    auto totals = coord.shared_region().template array<uint64_t>(uint64_t{data} * 256 * 8, 256);
    coord.set_output(std::span<const uint64_t>(totals.data(), 256));
  });
}

RegionSizes histogram_sizes(uint64_t, uint32_t workers) {
  return {(uint64_t{workers - 1} + 1) * 256 * 8, sizeof(HistScratch)};
}

// ---- sort -----------------------------------------------------------------
struct SortShared {
  uint32_t level;  // which buffer holds the runs: 0 = A, 1 = B
};

// Runs at merge level L cover partitions [r * 2^L, (r + 1) * 2^L).
uint64_t run_begin(uint64_t n, uint32_t parts, uint64_t run, uint32_t level) {
  const uint64_t first = run << level;
  return first >= parts ? n : partition(n, parts, static_cast<uint32_t>(first)).begin;
}

SharedTaskletResult sort_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return builder_for<SortShared, NoState>(config, input).launch([](auto& coord) {
    const uint64_t n = coord.input().size() / 4;
    const uint32_t d = coord.data_worker_count();
    const uint64_t a_off = Region<SortShared>::data_offset();
    const uint64_t b_off = a_off + n * 4;
    // Phase 1: each worker copies and sorts its partition into A.
    coord.parallel_for_workers([&](auto& w) {
      auto a = w.shared_region().template array<uint32_t>(a_off, n);
      const Partition part = w.partition_of(n);
      for (uint64_t chunk = part.begin; chunk < part.end; chunk += kFuelChunkBytes / 4) {
        const uint64_t end = std::min<uint64_t>(chunk + kFuelChunkBytes / 4, part.end);
        pay_fuel(w, (end - chunk) * 4);
        std::memcpy(a.data() + chunk, w.input().data() + chunk * 4, (end - chunk) * 4);
      }
      std::sort(a.begin() + part.begin, a.begin() + part.end);
    });
    // Merge phases: at level L, worker k merges runs 2k and 2k + 1.
    auto runs = [d](uint32_t level) { return (uint64_t{d} + (uint64_t{1} << level) - 1) >> level; };
    uint32_t level = 0;
    for (; runs(level) > 1; ++level) {
      const bool from_a = level % 2 == 0;
      coord.parallel_for_workers([&, level](auto& w) {
        auto src = w.shared_region().template array<uint32_t>(from_a ? a_off : b_off, n);
        auto dst = w.shared_region().template array<uint32_t>(from_a ? b_off : a_off, n);
        const uint64_t k = w.data_worker_index();
        const uint64_t lo = run_begin(n, d, 2 * k, level), mid = run_begin(n, d, 2 * k + 1, level),
                       hi = run_begin(n, d, 2 * k + 2, level);
        if (2 * k >= runs(level)) return;  // no run left for this worker
        std::merge(src.begin() + lo, src.begin() + mid, src.begin() + mid, src.begin() + hi, dst.begin() + lo);
      });
    }
    coord.shared().level = level;
    auto result = coord.shared_region().template array<uint32_t>(level % 2 == 0 ? a_off : b_off, n);
    coord.set_output(std::span<const uint32_t>(result.data(), n));
  });
}

RegionSizes sort_sizes(uint64_t input_len, uint32_t) {
  return {Region<SortShared>::data_offset() + 2 * (input_len / 4) * 4, 0};
}

// ---- prefix-sum -----------------------------------------------------------
SharedTaskletResult prefix_sum_host(const TaskletConfig& config, std::span<const uint8_t> input) {
  return builder_for<NoState, NoState>(config, input).launch([](auto& coord) {
    const uint64_t n = coord.input().size() / 4;
    const uint32_t d = coord.data_worker_count();
    const uint64_t totals_off = 0, out_off = (uint64_t{d} * 4 + 63) / 64 * 64;
    // Phase 1: each worker scans its partition and records its total.
    coord.parallel_for_workers([&](auto& w) {
      auto out = w.shared_region().template array<uint32_t>(out_off, n);
      auto totals = w.shared_region().template array<uint32_t>(totals_off, d);
      const Partition part = w.partition_of(n);
      uint32_t acc = 0;
      for (uint64_t chunk = part.begin; chunk < part.end; chunk += kFuelChunkBytes / 4) {
        const uint64_t end = std::min<uint64_t>(chunk + kFuelChunkBytes / 4, part.end);
        pay_fuel(w, (end - chunk) * 4);
        for (uint64_t i = chunk; i < end; ++i) out[i] = acc += load_u32(w.input().data() + i * 4);
      }
      totals[w.data_worker_index()] = acc;
    });
    // Between phases the coordinator turns the totals into offsets.
    auto totals = coord.shared_region().template array<uint32_t>(totals_off, d);
    uint32_t running = 0;
    for (uint32_t i = 0; i < d; ++i) running += std::exchange(totals[i], running);
    // Phase 2: each worker adds the sum of everything before its partition.
    coord.parallel_for_workers([&](auto& w) {
      auto out = w.shared_region().template array<uint32_t>(out_off, n);
      const uint32_t offset = w.shared_region().template array<uint32_t>(totals_off, d)[w.data_worker_index()];
      const Partition part = w.partition_of(n);
      for (uint64_t i = part.begin; i < part.end; ++i) out[i] += offset;
    });
    auto out = coord.shared_region().template array<uint32_t>(out_off, n);
    coord.set_output(std::span<const uint32_t>(out.data(), n));
  });
}

RegionSizes prefix_sum_sizes(uint64_t input_len, uint32_t workers) {
  return {(uint64_t{workers - 1} * 4 + 63) / 64 * 64 + input_len / 4 * 4, 0};
}

}  // namespace

const std::vector<BuiltinTasklet>& builtin_tasklets() {
  static const std::vector<BuiltinTasklet> all = {
      {"sum", "u32 LE words -> u64 LE sum", "sum.cl", true, sum_sizes, [](uint64_t) -> uint64_t { return 8; },
       sum_host},
      {"histogram", "bytes -> 256 u64 LE counts", "histogram.cl", false, histogram_sizes,
       [](uint64_t) -> uint64_t { return 256 * 8; }, histogram_host},
      {"sort", "u32 LE words -> ascending u32 LE words", "sort.cl", true, sort_sizes,
       [](uint64_t n) -> uint64_t { return n / 4 * 4; }, sort_host},
      {"prefix-sum", "u32 LE words -> inclusive prefix sums (mod 2^32)", "prefix_sum.cl", true, prefix_sum_sizes,
       [](uint64_t n) -> uint64_t { return n / 4 * 4; }, prefix_sum_host},
  };
  return all;
}

TaskletConfig builtin_config(const BuiltinTasklet& tasklet, uint64_t input_len, uint32_t workers) {
  TaskletConfig c;
  c.workers = workers;
  const RegionSizes need = tasklet.sizes(input_len, workers);
  c.shared_bytes = need.shared_bytes;
  c.scratch_bytes_per_worker = need.scratch_bytes_per_worker;
  return c;
}

const BuiltinTasklet* find_builtin_tasklet(std::string_view name) {
  for (const auto& t : builtin_tasklets())
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<uint8_t> builtin_expected_output(std::string_view name, std::span<const uint8_t> input) {
  const uint64_t n = input.size() / 4;
  std::vector<uint32_t> words(n);
  if (n) std::memcpy(words.data(), input.data(), n * 4);
  auto bytes_of = [](const auto& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());
    return std::vector<uint8_t>(p, p + v.size() * sizeof(v[0]));
  };
  if (name == "sum") {
    uint64_t s = 0;
    for (uint32_t w : words) s += w;
    return bytes_of(std::array<uint64_t, 1>{s});
  }
  if (name == "histogram") {
    std::array<uint64_t, 256> h{};
    for (uint8_t b : input) ++h[b];
    return bytes_of(h);
  }
  if (name == "sort") {
    std::sort(words.begin(), words.end());
    return bytes_of(words);
  }
  uint32_t acc = 0;
  for (uint32_t& w : words) w = acc += w;
  return bytes_of(words);
}

}  // namespace grafos

// The rules of grafos-tasklets(7) on the host target, one promise per case.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "grafos/cpu_affinity.h"
#include "grafos/tasklet.h"

using namespace grafos;
using namespace std::chrono_literals;

namespace {
struct Shared {
  std::atomic<uint32_t> counter{0};
  std::atomic<uint32_t> lanes_seen{0};
};
struct Scratch {
  uint32_t local = 0;
};
using Builder = SharedTaskletBuilder<Shared, Scratch>;
Builder basic(uint32_t workers) {
  Builder b;
  b.cores(workers).workers(workers).shared_bytes(256).scratch_bytes_per_worker(64);
  return b;
}
TaskletErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const TaskletError& e) {
    return e.kind();
  }
  FAIL("expected a TaskletError");
  return TaskletErrorKind::Device;
}
template <typename It>
bool all_zero(It first, It last) {
  return std::all_of(first, last, [](uint8_t x) { return x == 0; });
}
}  // namespace

TEST_CASE("lane 0 coordinates and data lanes are 1..workers-1") {
  std::mutex m;
  std::set<std::pair<uint32_t, uint32_t>> seen;  // (raw, data)
  auto r = basic(5).launch([&](auto& c) {
    CHECK(c.worker_index() == 0);
    CHECK(c.worker_count() == 5);
    CHECK(c.data_worker_count() == 4);
    c.parallel_for_workers([&](auto& w) {
      CHECK(w.worker_count() == 5);
      CHECK(w.data_worker_count() == 4);
      std::lock_guard lock(m);
      seen.insert({w.worker_index(), w.data_worker_index()});
      w.scratch().get().local = w.worker_index() * 10;
    });
    for (uint32_t i = 0; i < 4; ++i) CHECK(c.data_scratch(i).get().local == (i + 1) * 10);
    CHECK(c.scratch(0).get().local == 0);  // the coordinator's own scratch is untouched
  });
  CHECK(seen == std::set<std::pair<uint32_t, uint32_t>>{{1, 0}, {2, 1}, {3, 2}, {4, 3}});
  CHECK(r.phases == 1);
}

TEST_CASE("each phase runs the body once per data lane and returns when all finished") {
  auto r = basic(4).launch([](auto& c) {
    for (int phase = 0; phase < 3; ++phase) {
      c.parallel_for_workers([](auto& w) { w.shared().counter.fetch_add(1); });
      CHECK(c.shared().counter.load() == 3u * (phase + 1));
    }
    const uint32_t n = c.shared().counter.load();
    c.set_output(std::span<const uint32_t>(&n, 1));
  });
  CHECK(r.phases == 3);
  REQUIRE(r.output.size() == 4);
  CHECK(r.output[0] == 9);
}

TEST_CASE("barrier() makes every data lane wait for the others") {
  basic(6).launch([](auto& c) {
    c.parallel_for_workers([](auto& w) {
      w.shared().counter.fetch_add(1);
      w.barrier();
      CHECK(w.shared().counter.load() == 5);  // all five arrived before anyone passed
      w.barrier();
    });
  });
}

TEST_CASE("a lane that leaves the phase does not hang the barrier") {
  basic(4).launch([](auto& c) {
    c.parallel_for_workers([](auto& w) {
      if (w.data_worker_index() == 0) return;  // never reaches the barrier
      w.barrier();
    });
  });
}

TEST_CASE("invalid configurations fail before any lane starts") {
  std::atomic<bool> ran{false};
  auto body = [&](auto& c) { c.parallel_for_workers([&](auto&) { ran = true; }); };
  CHECK(kind_of([&] { basic(1).launch(body); }) == TaskletErrorKind::InvalidConfig);  // no data worker
  CHECK(kind_of([&] { basic(4).cores(3).launch(body); }) == TaskletErrorKind::InvalidConfig);  // workers > cores
  CHECK(kind_of([&] { basic(4).shared_bytes(1).launch(body); }) == TaskletErrorKind::InvalidConfig);  // S does not fit
  CHECK(kind_of([&] { basic(4).scratch_bytes_per_worker(2).launch(body); }) == TaskletErrorKind::InvalidConfig);
  CHECK(kind_of([&] { basic(4).max_linear_memory(256 + 4 * 64 - 1).launch(body); }) == TaskletErrorKind::MemoryBudget);
  CHECK(kind_of([&] { basic(100000).cores(100000).launch(body); }) == TaskletErrorKind::InvalidConfig);
  CHECK(kind_of([&] {
          basic(4).scratch_bytes_per_worker(uint64_t{1} << 62).max_linear_memory(UINT64_MAX).launch(body);
        }) == TaskletErrorKind::MemoryBudget);  // workers x scratch overflows
  basic(4).max_linear_memory(256 + 4 * 64).launch([](auto&) {});  // exactly at the budget
  CHECK_FALSE(ran.load());
}

TEST_CASE("fuel: the pool is shared, exhaustion mid-run ends the run with FuelExhausted") {
  auto r = basic(3).with_max_fuel(100).launch([](auto& c) {
    c.parallel_for_workers([](auto& w) {
      for (int i = 0; i < 10; ++i) w.fuel_checkpoint(3);
    });
    c.fuel_checkpoint(10);
  });
  CHECK(r.fuel_consumed == 2 * 30 + 10);
  std::atomic<int> paid{0};
  try {
    basic(3).with_max_fuel(50).launch([&](auto& c) {
      c.parallel_for_workers([&](auto& w) {
        for (int i = 0; i < 100; ++i) {
          w.fuel_checkpoint(1);
          ++paid;
        }
      });
    });
    FAIL("expected FuelExhausted");
  } catch (const FuelExhausted& e) {
    CHECK(e.lane() >= 1);
    CHECK(paid.load() == 50);  // every unit of the pool was spent, none twice
  }
}

TEST_CASE("without a fuel pool every checkpoint fails (the V1 behaviour)") {
  CHECK(kind_of([] { basic(2).launch([](auto& c) { c.fuel_checkpoint(1); }); }) == TaskletErrorKind::FuelExhausted);
}

TEST_CASE("cancellation wakes every lane waiting at a barrier with Cancelled") {
  std::stop_source stop;
  std::atomic<int> cancelled{0};
  std::jthread canceller([&] {
    std::this_thread::sleep_for(50ms);
    stop.request_stop();
  });
  CHECK(kind_of([&] {
          basic(5).cancel_token(stop.get_token()).launch([&](auto& c) {
            c.parallel_for_workers([&](auto& w) {
              if (w.data_worker_index() == 0) {
                while (!w.cancelled()) std::this_thread::sleep_for(1ms);  // never arrives
                return;
              }
              try {
                w.barrier();
              } catch (const Cancelled&) {
                ++cancelled;
                throw;
              }
            });
          });
        }) == TaskletErrorKind::Cancelled);
  CHECK(cancelled.load() == 3);
}

TEST_CASE("a deadline cancels the run") {
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(kind_of([&] {
          basic(3).deadline(t0 + 30ms).launch([](auto& c) {
            c.parallel_for_workers([](auto& w) {
              while (true) {
                w.check_cancelled();
                std::this_thread::sleep_for(1ms);
              }
            });
          });
        }) == TaskletErrorKind::Cancelled);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("a lane's own failure names its lane and stops the others") {
  try {
    basic(4).launch([](auto& c) {
      c.parallel_for_workers([](auto& w) {
        if (w.worker_index() == 2) throw std::runtime_error("boom");
        w.barrier();  // the others are woken, not hung
      });
    });
    FAIL("expected a lane failure");
  } catch (const TaskletError& e) {
    CHECK(e.kind() == TaskletErrorKind::LaneFailure);
    CHECK(e.lane() == 2);
    CHECK(std::string(e.what()).find("boom") != std::string::npos);
  }
}

TEST_CASE("typed region arrays are bounds-checked") {
  CHECK(kind_of([] {
          basic(2).launch([](auto& c) { c.shared_region().template array<uint64_t>(200, 8); });
        }) == TaskletErrorKind::LaneFailure);
  basic(2).launch([](auto& c) { CHECK(c.shared_region().template array<uint64_t>(192, 8).size() == 8); });
}

TEST_CASE("partition splits evenly, the first n % parts parts one larger") {
  CHECK(partition(10, 3, 0).begin == 0);
  CHECK(partition(10, 3, 0).end == 4);
  CHECK(partition(10, 3, 1).begin == 4);
  CHECK(partition(10, 3, 2).end == 10);
  CHECK(partition(2, 5, 4).size() == 0);
  uint64_t total = 0;
  for (uint32_t i = 0; i < 7; ++i) total += partition(1000003, 7, i).size();
  CHECK(total == 1000003);
}

TEST_CASE("lanes fill an output region in place; its arrays are bounds-checked") {
  auto r = basic(4).launch([](auto& c) {
    c.output_region(3 * 4);
    c.parallel_for_workers([](auto& w) {
      w.output_region().template array<uint32_t>(0, 3)[w.data_worker_index()] = w.worker_index() * 7;
    });
  });
  REQUIRE(r.output.size() == 12);
  uint32_t words[3];
  std::memcpy(words, r.output.data(), 12);
  CHECK(words[0] == 7);
  CHECK(words[2] == 21);
  CHECK(kind_of([] {
          basic(2).launch([](auto& c) {
            c.output_region(8);
            c.parallel_for_workers([](auto& w) { w.output_region().template array<uint64_t>(8, 1); });
          });
        }) == TaskletErrorKind::LaneFailure);
}

TEST_CASE("regions start zeroed, also when a later run reuses their memory") {
  for (int run = 0; run < 3; ++run) {
    Builder b = basic(3);
    b.shared_bytes(4 << 20);  // large enough to come from the buffer pool
    b.launch([](auto& c) {
      auto bytes = c.shared_region().template array<uint8_t>(0, 4 << 20);
      CHECK(all_zero(bytes.begin() + sizeof(Shared), bytes.end()));
      std::fill(bytes.begin() + sizeof(Shared), bytes.end(), 0xFF);
    });
  }
  trim_buffer_pool();
}

TEST_CASE("bytes declared written before read: the rest of a reused shared region still starts zeroed, and the range is clipped to the region") {
  constexpr uint64_t kBytes = 4 << 20, kFrom = 4096, kCount = 1 << 20;
  for (int run = 0; run < 3; ++run) {
    Builder b = basic(3);
    b.shared_bytes(kBytes);  // from the buffer pool, reused by the next run
    b.shared_written_before_read(kFrom, kCount);
    b.launch([&](auto& c) {
      auto bytes = c.shared_region().template array<uint8_t>(0, kBytes);
      CHECK(all_zero(bytes.begin() + sizeof(Shared), bytes.begin() + kFrom));
      CHECK(all_zero(bytes.begin() + kFrom + kCount, bytes.end()));
      std::fill(bytes.begin() + sizeof(Shared), bytes.end(), 0xFF);
    });
  }
  // Ranges running past the region's end, or starting there, are clipped to it.
  for (const auto& [from, count] : {std::pair<uint64_t, uint64_t>{kBytes - 64, UINT64_MAX}, {kBytes + 100, 10}}) {
    Builder b = basic(3);
    b.shared_bytes(kBytes);
    b.shared_written_before_read(from, count);
    b.launch([&](auto& c) {
      auto bytes = c.shared_region().template array<uint8_t>(0, kBytes);
      const uint64_t zeroed = std::min(from, kBytes);
      CHECK(all_zero(bytes.begin() + sizeof(Shared), bytes.begin() + zeroed));
      std::fill(bytes.begin() + sizeof(Shared), bytes.end(), 0xFF);
    });
  }
  // A shared state whose constructor leaves its members unset still starts
  // zeroed inside a declared range: its bytes are outside what is left.
  struct Unset {
    Unset() {}  // NOLINT: leaves `words` indeterminate on purpose
    uint32_t words[16];
  };
  for (int run = 0; run < 2; ++run) {
    SharedTaskletBuilder<Unset, Scratch> b;
    b.cores(3).workers(3).shared_bytes(kBytes).scratch_bytes_per_worker(64);
    b.shared_written_before_read(0, kBytes);
    b.launch([&](auto& c) {
      auto bytes = c.shared_region().template array<uint8_t>(0, sizeof(Unset));
      CHECK(all_zero(bytes.begin(), bytes.end()));
      std::ranges::fill(c.shared_region().template array<uint8_t>(0, kBytes), 0xFF);
    });
  }
  trim_buffer_pool();
}

TEST_CASE("data lanes get CPUs of their own, pinned when the lanes are a multiple of the CPUs; the caller keeps its own") {
  const std::vector<int> caller = detail::thread_cpus();
#if defined(__linux__)
  REQUIRE(!caller.empty());
#endif
  const auto n = static_cast<uint32_t>(caller.size());
  // Each data lane's affinity, as the lane sees it inside a phase.
  const auto cpus_of_lanes = [](uint32_t lanes) {
    std::vector<std::vector<int>> cpus(lanes);
    basic(lanes + 1).launch([&](auto& c) {
      c.parallel_for_workers([&](auto& w) { cpus[w.data_worker_index()] = detail::thread_cpus(); });
    });
    return cpus;
  };
  SUBCASE("a multiple of the CPUs: lane i on the (i mod n)-th of the caller's CPUs only") {
    for (const uint32_t lanes : {n, 2 * n}) {
      const std::vector<std::vector<int>> cpus = cpus_of_lanes(std::max(lanes, 1u));
      for (uint32_t i = 0; i < cpus.size(); ++i) {
        CAPTURE(i);
        if (n < 2) CHECK(cpus[i] == caller);  // nothing to spread
        else CHECK(cpus[i] == std::vector<int>{caller[i % n]});
      }
    }
  }
  SUBCASE("fewer lanes than CPUs, or not a multiple: every lane may still run on every CPU of the caller") {
    if (n < 2) return;
    for (const uint32_t lanes : {n - 1, n + 1})
      for (const std::vector<int>& cpus : cpus_of_lanes(lanes)) CHECK(cpus == caller);
  }
  CHECK(detail::thread_cpus() == caller);
  if (n > 0) CHECK(detail::usable_cpus() == n);
}

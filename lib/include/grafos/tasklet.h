// The shared-memory tasklet SDK: SharedTaskletBuilder<S, W> launches a
// coordinator closure on the host target; CoordinatorCtx and WorkerCtx give
// the lanes the vocabulary of grafos-tasklets(7) (shared state, per-worker scratch,
// parallel_for_workers, barrier, fuel_checkpoint, set_output).
//
//   struct Shared { std::atomic<uint32_t> counter; };
//   struct Scratch { uint32_t local; };
//   auto result = grafos::SharedTaskletBuilder<Shared, Scratch>()
//                     .cores(4).workers(4).shared_bytes(1024).scratch_bytes_per_worker(64)
//                     .with_max_fuel(1'000'000)
//                     .launch([](auto& coord) {
//                       coord.parallel_for_workers([](auto& w) {
//                         w.scratch().get().local = w.worker_index();
//                         w.shared().counter.fetch_add(1);
//                       });
//                       const uint32_t n = coord.shared().counter.load();
//                       coord.set_output(std::as_bytes(std::span(&n, 1)));
//                     });
//
// The shared state S lives at the start of the shared region and each
// worker's scratch state W at the start of its scratch region; the rest of
// each region is raw bytes for arrays (array<T>(offset, count)). Regions
// start zeroed, on both targets, but for shared-region bytes a tasklet
// declares it writes before it reads (shared_written_before_read), which
// the host target leaves unzeroed. The output is either the bytes passed to
// set_output or an output region the lanes fill in place.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "grafos/config.h"
#include "grafos/error.h"
#include "grafos/host_runtime.h"

namespace grafos {

// A typed view of a region: the state object at its start, and bounds- and
// alignment-checked arrays anywhere in it.
template <typename T>
class Region {
 public:
  Region(std::span<uint8_t> bytes, int64_t lane) : bytes_(bytes), lane_(lane) {}
  T& get() const { return *std::launder(reinterpret_cast<T*>(bytes_.data())); }
  std::span<uint8_t> bytes() const { return bytes_; }
  // The first byte after the state object, 64-byte aligned: where arrays go.
  static constexpr uint64_t data_offset() { return (sizeof(T) + 63) / 64 * 64; }
  template <typename U>
  std::span<U> array(uint64_t offset_bytes, uint64_t count) const {
    if (offset_bytes % alignof(U) != 0 || offset_bytes > bytes_.size() ||
        count > (bytes_.size() - offset_bytes) / sizeof(U))
      throw TaskletError(TaskletErrorKind::LaneFailure,
                         "region access out of bounds: " + std::to_string(count) + " x " + std::to_string(sizeof(U)) +
                             " bytes at offset " + std::to_string(offset_bytes) + " in a " +
                             std::to_string(bytes_.size()) + "-byte region",
                         lane_);
    return {reinterpret_cast<U*>(bytes_.data() + offset_bytes), count};
  }

 private:
  std::span<uint8_t> bytes_;
  int64_t lane_;
};
template <typename S>
using SharedRegion = Region<S>;
template <typename W>
using WorkerScratch = Region<W>;
// The output as a region (it has no state object, only arrays).
struct OutputState {};
using OutputRegion = Region<OutputState>;

template <typename S, typename W>
class WorkerCtx {
 public:
  WorkerCtx(detail::HostRun& run, uint32_t lane) : run_(run), lane_(lane) {}
  // Raw lane numbering (lane 0 is the coordinator).
  uint32_t worker_index() const { return lane_; }
  uint32_t worker_count() const { return run_.workers(); }
  // Data-lane numbering: 0..data_worker_count().
  uint32_t data_worker_index() const { return lane_ - 1; }
  uint32_t data_worker_count() const { return run_.workers() - 1; }
  S& shared() const { return shared_region().get(); }
  SharedRegion<S> shared_region() const { return {run_.shared(), lane_}; }
  WorkerScratch<W> scratch() const { return {run_.scratch(lane_), lane_}; }
  std::span<const uint8_t> input() const { return run_.input(); }
  // The output as sized by the coordinator (CoordinatorCtx::output_region):
  // lanes write their results in place, as into the OpenCL output buffer.
  OutputRegion output_region() const { return {run_.output(), lane_}; }
  // This worker's even share of n items.
  Partition partition_of(uint64_t n) const { return partition(n, data_worker_count(), data_worker_index()); }
  // Waits for the other data lanes of this phase; throws Cancelled.
  void barrier() const { run_.barrier(); }
  void fuel_checkpoint(uint64_t units) const { run_.fuel_checkpoint(units, lane_); }
  // Whether a fuel pool is configured (without one every checkpoint fails).
  bool fuel_metered() const { return run_.fuel_metered(); }
  bool cancelled() const { return run_.cancelled(); }
  // Throws Cancelled when the run is cancelled: for long loops without barriers.
  void check_cancelled() const { run_.check_cancelled(); }

 private:
  detail::HostRun& run_;
  uint32_t lane_;
};

template <typename S, typename W>
class CoordinatorCtx {
 public:
  explicit CoordinatorCtx(detail::HostRun& run) : run_(run) {}
  uint32_t worker_index() const { return 0; }
  uint32_t worker_count() const { return run_.workers(); }
  uint32_t data_worker_count() const { return run_.workers() - 1; }
  S& shared() const { return shared_region().get(); }
  SharedRegion<S> shared_region() const { return {run_.shared(), 0}; }
  std::span<const uint8_t> input() const { return run_.input(); }
  WorkerScratch<W> scratch(uint32_t raw_lane) const { return {run_.scratch(raw_lane), 0}; }
  WorkerScratch<W> data_scratch(uint32_t data_index) const { return scratch(data_index + 1); }

  // One phase: body(WorkerCtx&) on every data lane; returns when all have
  // finished, or throws the first lane's error.
  template <typename F>
  void parallel_for_workers(F&& body) {
    const std::function<void(uint32_t)> run_lane = [&](uint32_t lane) {
      WorkerCtx<S, W> ctx(run_, lane);
      body(ctx);
    };
    run_.run_phase(run_lane);
  }
  // Between phases every data lane is idle, so the coordinator's barrier is
  // a cancellation point: it throws Cancelled when the run is cancelled.
  void barrier() const { run_.check_cancelled(); }
  void fuel_checkpoint(uint64_t units) const { run_.fuel_checkpoint(units, 0); }
  bool fuel_metered() const { return run_.fuel_metered(); }
  bool cancelled() const { return run_.cancelled(); }
  void set_output(std::span<const uint8_t> bytes) { run_.set_output(bytes); }
  // Makes the output `bytes` long (new bytes uninitialised) for the lanes to
  // fill in place; the run's output is then whatever they wrote. Between
  // phases only.
  OutputRegion output_region(uint64_t bytes) { return {run_.resize_output(bytes), 0}; }
  OutputRegion output_region() const { return {run_.output(), 0}; }
  template <typename T>
  void set_output(std::span<const T> values) {
    set_output(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(values.data()), values.size_bytes()));
  }

 private:
  detail::HostRun& run_;
};

template <typename S, typename W>
class SharedTaskletBuilder {
  static_assert(std::is_default_constructible_v<S> && std::is_default_constructible_v<W>);
  // The states live in raw regions that are released without running
  // destructors, as the regions of a real tasklet are.
  static_assert(std::is_trivially_destructible_v<S> && std::is_trivially_destructible_v<W>);

 public:
  SharedTaskletBuilder& cores(uint32_t n) { config_.cores = n; return *this; }
  SharedTaskletBuilder& workers(uint32_t n) { config_.workers = n; return *this; }
  SharedTaskletBuilder& shared_bytes(uint64_t n) { config_.shared_bytes = n; return *this; }
  SharedTaskletBuilder& scratch_bytes_per_worker(uint64_t n) { config_.scratch_bytes_per_worker = n; return *this; }
  SharedTaskletBuilder& max_linear_memory(uint64_t n) { config_.max_linear_memory = n; return *this; }
  SharedTaskletBuilder& with_max_fuel(uint64_t fuel) { config_.max_fuel = fuel; return *this; }
  SharedTaskletBuilder& deadline(std::chrono::steady_clock::time_point t) { config_.deadline = t; return *this; }
  SharedTaskletBuilder& cancel_token(std::stop_token token) { config_.cancel = std::move(token); return *this; }
  // The input bytes; they must outlive launch().
  SharedTaskletBuilder& input(std::span<const uint8_t> bytes) { input_ = bytes; return *this; }
  // Shared-region bytes [offset, offset + bytes) that the tasklet writes
  // before it reads them: the host target leaves them as the memory it
  // reuses held them instead of zeroing them first (a sort's 64 MiB working
  // copy: 2.6-3.8 ms a run on a 2-core VM). What else the region holds still
  // starts zeroed.
  SharedTaskletBuilder& shared_written_before_read(uint64_t offset, uint64_t bytes) {
    unzeroed_ = {offset, offset + std::min(bytes, UINT64_MAX - offset)};
    return *this;
  }
  const TaskletConfig& config() const { return config_; }

  // Runs the coordinator on the calling thread (lane 0) and the data lanes on
  // host threads. Throws TaskletError.
  template <typename F>
  SharedTaskletResult launch(F&& coordinator) {
    validate_config(config_, std::is_empty_v<S> ? 0 : sizeof(S), std::is_empty_v<W> ? 0 : sizeof(W));
    // The shared state's bytes start zeroed whatever the declared range: its
    // constructor may leave members unset.
    ByteRange unzeroed = unzeroed_;
    unzeroed.begin = std::max<uint64_t>(unzeroed.begin, std::is_empty_v<S> ? 0 : sizeof(S));
    detail::HostRun run(config_, input_, unzeroed);
    new (run.shared().data()) S();
    for (uint32_t lane = 0; lane < config_.workers; ++lane)
      if (config_.scratch_bytes_per_worker > 0) new (run.scratch(lane).data()) W();
    CoordinatorCtx<S, W> ctx(run);
    try {
      coordinator(ctx);
    } catch (const TaskletError&) {
      throw;
    } catch (const std::exception& e) {
      throw TaskletError(TaskletErrorKind::LaneFailure, std::string("lane 0 (coordinator) failed: ") + e.what(), 0);
    }
    return run.finish();
  }

 private:
  TaskletConfig config_;
  std::span<const uint8_t> input_;
  ByteRange unzeroed_;
};

}  // namespace grafos

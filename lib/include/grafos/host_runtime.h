// The host target's machinery, independent of the tasklet's types: data
// lanes on std::jthread, a cancellable barrier, the fuel pool, the deadline
// watchdog, and error collection. tasklet.h wraps it in typed contexts.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <thread>
#include <vector>

#include "grafos/buffer_pool.h"
#include "grafos/config.h"
#include "grafos/error.h"

namespace grafos::detail {

// A barrier for the data lanes of one phase. Unlike std::barrier it wakes
// every waiter with Cancelled when the run is cancelled, and a lane that
// leaves the phase (returning or failing) drops out, so the others never
// wait for it: no lane can hang the run.
class LaneBarrier {
 public:
  void reset(uint32_t participants);
  void wait();       // throws Cancelled
  void drop();       // the calling lane leaves the phase
  void cancel();     // wakes every waiter
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  uint32_t expected_ = 0, arrived_ = 0;
  uint64_t generation_ = 0;
  std::atomic<bool> cancelled_{false};
};

class HostRun {
 public:
  // `unzeroed`: shared-region bytes the tasklet writes before it reads
  // them (SharedTaskletBuilder::shared_written_before_read).
  HostRun(const TaskletConfig& config, std::span<const uint8_t> input, ByteRange unzeroed = {});
  ~HostRun();
  HostRun(const HostRun&) = delete;
  HostRun& operator=(const HostRun&) = delete;

  uint32_t workers() const { return config_.workers; }
  std::span<uint8_t> shared() { return {shared_->data(), shared_->size}; }
  std::span<uint8_t> scratch(uint32_t raw_lane);
  std::span<const uint8_t> input() const { return input_; }

  // Runs body(raw lane) on lanes 1..workers-1 and waits for all of them;
  // throws the first lane's error.
  void run_phase(const std::function<void(uint32_t)>& body);
  void barrier() { barrier_.wait(); }
  void fuel_checkpoint(uint64_t units, uint32_t lane);
  void check_cancelled();
  bool fuel_metered() const { return config_.max_fuel.has_value(); }
  bool cancelled() const { return barrier_.cancelled(); }
  void set_output(std::span<const uint8_t> bytes);
  // The output as a region the lanes fill in place: resized by the
  // coordinator between phases (new bytes uninitialised), read by anyone.
  std::span<uint8_t> resize_output(uint64_t bytes);
  std::span<uint8_t> output() { return {output_.data(), output_.size()}; }

  SharedTaskletResult finish();

 private:
  void lane_main(std::stop_token stop, uint32_t lane);
  void cancel(std::string why);
  void record_error(std::exception_ptr e);

  TaskletConfig config_;
  std::span<const uint8_t> input_;
  // Regions are zeroed pooled buffers of at least one cache line, so an
  // empty state still has an address.
  struct RegionMemory {
    explicit RegionMemory(uint64_t bytes, ByteRange unzeroed = {})
        : buffer(std::max<uint64_t>(bytes, 64), true, unzeroed), size(bytes) {}
    uint8_t* data() const { return buffer.data(); }
    PooledBuffer buffer;
    uint64_t size;
  };
  std::optional<RegionMemory> shared_, scratch_;
  std::atomic<uint64_t> fuel_{0};
  LaneBarrier barrier_;
  OutputBytes output_;
  std::vector<PhaseStats> phases_;
  std::chrono::steady_clock::time_point started_;

  // Phase dispatch to the lane threads.
  std::mutex m_;
  std::condition_variable phase_cv_, done_cv_;
  uint64_t phase_generation_ = 0;
  uint32_t lanes_done_ = 0;
  const std::function<void(uint32_t)>* body_ = nullptr;
  std::exception_ptr first_error_;
  std::string cancel_reason_;

  std::vector<std::jthread> lanes_;
  std::jthread watchdog_;
  std::optional<std::stop_callback<std::function<void()>>> on_cancel_;
};

}  // namespace grafos::detail

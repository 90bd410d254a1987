#include "grafos/host_runtime.h"

#include <cstring>
#include <span>
#include <vector>

#include "grafos/cpu_affinity.h"

namespace grafos::detail {

namespace {

// Gives the calling lane thread (data lane `index` of `lanes`) a CPU of its
// own among the n the run's caller may use: CPU (index mod n) of them. New
// threads start on their creator's CPU, and a lane woken for a phase while
// the waking coordinator still runs on its CPU can be put beside another
// lane and left there for the phase, as the kernel does not move a task
// that has just run. On the project's 2-core VM both lanes of a sort ran
// its whole first count phase on one CPU in most runs (seen with
// sched_getcpu: 5-8 ms for a 2.5-3 ms count), and about one later phase in
// five ran at half speed until the lanes were pinned; on a 16-core Xeon a
// 64 MiB sort took 19-21 ms pinned, 23-27 ms placed but free. When the
// lanes are a multiple of the CPUs (the defaults: one or two lanes a CPU)
// the run fills the machine evenly, so the lane is pinned for the run.
// Otherwise it is only moved there and may then run on any of them: pinned,
// the CPUs with one lane more would hold every phase back, and concurrent
// runs with few lanes still spread over the free CPUs.
void place_lane(uint32_t index, uint32_t lanes) {
  const std::vector<int> allowed = thread_cpus();
  const auto n = static_cast<uint32_t>(allowed.size());
  if (n < 2) return;
  const int own = allowed[index % n];
  if (set_thread_cpus(std::span(&own, 1)) && lanes % n != 0) set_thread_cpus(allowed);
}

}  // namespace

void LaneBarrier::reset(uint32_t participants) {
  std::lock_guard lock(m_);
  expected_ = participants;
  arrived_ = 0;
}

void LaneBarrier::wait() {
  std::unique_lock lock(m_);
  if (cancelled()) throw Cancelled("cancelled while waiting at barrier()");
  const uint64_t gen = generation_;
  if (++arrived_ >= expected_) {
    arrived_ = 0;
    ++generation_;
    cv_.notify_all();
    return;
  }
  cv_.wait(lock, [&] { return generation_ != gen || cancelled(); });
  // Cancellation wins: once the run is cancelled a lane that leaves the phase
  // may complete the generation, but the waiters must still see Cancelled.
  if (cancelled()) throw Cancelled("cancelled while waiting at barrier()");
}

void LaneBarrier::drop() {
  std::lock_guard lock(m_);
  if (expected_ > 0) --expected_;
  if (!cancelled() && expected_ > 0 && arrived_ >= expected_) {
    arrived_ = 0;
    ++generation_;
    cv_.notify_all();
  }
}

void LaneBarrier::cancel() {
  {
    std::lock_guard lock(m_);
    cancelled_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}


HostRun::HostRun(const TaskletConfig& config, std::span<const uint8_t> input, ByteRange unzeroed)
    : config_(config), input_(input), started_(std::chrono::steady_clock::now()) {
  shared_.emplace(config.shared_bytes, unzeroed);
  scratch_.emplace(config.scratch_bytes_per_worker * config.workers);
  fuel_.store(config.max_fuel.value_or(0));
  if (config.cancel.stop_possible())
    on_cancel_.emplace(config.cancel, std::function<void()>([this] { cancel("the cancel token was triggered"); }));
  if (config.deadline) {
    const auto deadline = *config.deadline;
    watchdog_ = std::jthread([this, deadline](std::stop_token stop) {
      std::mutex m;
      std::condition_variable_any cv;
      std::unique_lock lock(m);
      if (!cv.wait_until(lock, stop, deadline, [] { return false; }) && !stop.stop_requested())
        cancel(kDeadlinePassed);
    });
  }
  for (uint32_t lane = 1; lane < config.workers; ++lane)
    lanes_.emplace_back([this, lane](std::stop_token stop) { lane_main(stop, lane); });
}

HostRun::~HostRun() {
  {
    std::lock_guard lock(m_);
    for (auto& t : lanes_) t.request_stop();
  }
  phase_cv_.notify_all();
  lanes_.clear();  // joins
  watchdog_ = {};
  on_cancel_.reset();
}

std::span<uint8_t> HostRun::scratch(uint32_t raw_lane) {
  if (raw_lane >= config_.workers)
    throw TaskletError(TaskletErrorKind::LaneFailure,
                       "scratch(" + std::to_string(raw_lane) + ") of a tasklet with " +
                           std::to_string(config_.workers) + " workers");
  return {scratch_->data() + uint64_t{raw_lane} * config_.scratch_bytes_per_worker, config_.scratch_bytes_per_worker};
}

void HostRun::set_output(std::span<const uint8_t> bytes) {
  // The bytes may be the output region itself, or part of it.
  if (!output_.empty() && bytes.data() >= output_.data() && bytes.data() < output_.data() + output_.size()) {
    std::memmove(output_.data(), bytes.data(), bytes.size());
    output_.resize(bytes.size());
    return;
  }
  output_.assign(bytes.begin(), bytes.end());
}

std::span<uint8_t> HostRun::resize_output(uint64_t bytes) {
  output_.resize(bytes);
  return output();
}

void HostRun::cancel(std::string why) {
  {
    std::lock_guard lock(m_);
    if (cancel_reason_.empty()) cancel_reason_ = std::move(why);
  }
  barrier_.cancel();
}

void HostRun::record_error(std::exception_ptr e) {
  std::lock_guard lock(m_);
  if (!first_error_) first_error_ = e;
}

void HostRun::check_cancelled() {
  if (barrier_.cancelled()) {
    std::lock_guard lock(m_);
    throw Cancelled(cancel_reason_);
  }
}

void HostRun::fuel_checkpoint(uint64_t units, uint32_t lane) {
  if (!config_.max_fuel)
    throw FuelExhausted("no fuel pool is configured (set with_max_fuel / --fuel)", lane);
  uint64_t have = fuel_.load(std::memory_order_relaxed);
  do {
    if (have < units)
      throw FuelExhausted("lane " + std::to_string(lane) + " asked for " + std::to_string(units) + " units, " +
                              std::to_string(have) + " left of " + std::to_string(*config_.max_fuel),
                          lane);
  } while (!fuel_.compare_exchange_weak(have, have - units, std::memory_order_acq_rel));
}

void HostRun::lane_main(std::stop_token stop, uint32_t lane) {
  place_lane(lane - 1, config_.workers - 1);
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(uint32_t)>* body = nullptr;
    {
      std::unique_lock lock(m_);
      phase_cv_.wait(lock, [&] { return stop.stop_requested() || phase_generation_ != seen; });
      if (stop.stop_requested()) return;
      seen = phase_generation_;
      body = body_;
    }
    try {
      (*body)(lane);
    } catch (const TaskletError& e) {
      // A lane woken by another lane's failure reports Cancelled; the first
      // recorded error stays the cause.
      record_error(std::current_exception());
      cancel(std::string("lane ") + std::to_string(lane) + " failed: " + e.what());
    } catch (const std::exception& e) {
      record_error(std::make_exception_ptr(TaskletError(
          TaskletErrorKind::LaneFailure, "lane " + std::to_string(lane) + " failed: " + e.what(), lane)));
      cancel("lane " + std::to_string(lane) + " failed");
    } catch (...) {
      record_error(std::make_exception_ptr(
          TaskletError(TaskletErrorKind::LaneFailure, "lane " + std::to_string(lane) + " failed", lane)));
      cancel("lane " + std::to_string(lane) + " failed");
    }
    barrier_.drop();
    {
      std::lock_guard lock(m_);
      ++lanes_done_;
    }
    done_cv_.notify_all();
  }
}

void HostRun::run_phase(const std::function<void(uint32_t)>& body) {
  check_cancelled();
  const auto t0 = std::chrono::steady_clock::now();
  barrier_.reset(config_.workers - 1);
  {
    std::lock_guard lock(m_);
    body_ = &body;
    lanes_done_ = 0;
    ++phase_generation_;
  }
  phase_cv_.notify_all();
  std::exception_ptr error;
  {
    std::unique_lock lock(m_);
    done_cv_.wait(lock, [&] { return lanes_done_ == config_.workers - 1; });
    error = first_error_;
  }
  phases_.push_back({config_.workers - 1, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()});
  if (error) std::rethrow_exception(error);
}

SharedTaskletResult HostRun::finish() {
  check_cancelled();
  SharedTaskletResult r;
  r.output = std::move(output_);
  r.fuel_consumed = config_.max_fuel ? *config_.max_fuel - fuel_.load() : 0;
  r.phases = static_cast<uint32_t>(phases_.size());
  r.phase_stats = phases_;
  r.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
  return r;
}

}  // namespace grafos::detail

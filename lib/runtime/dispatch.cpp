#include "vyre/dispatch.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include "vyre/detail/scope_fail.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"

namespace vyre {

std::vector<IoServiced> pump_io_queue(MutableByteSpan io_queue, const ResourceMap& resources, uint32_t pass) {
  std::vector<IoServiced> serviced;
  std::vector<std::pair<uint32_t, bool>> completions;
  for (const IoRequest& r : claim_io_requests(io_queue)) {
    IoServiced s;
    s.pass = pass;
    s.io_slot = r.slot_idx;
    s.resource_id = r.src_handle;
    auto it = resources.find(r.src_handle);
    if (it == resources.end()) {
      s.error = "resource id not in the resource map";
    } else {
      s.file = it->second;
      struct stat st {};
      std::ifstream probe(s.file, std::ios::binary);
      if (::stat(s.file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !probe.good()) {
        s.error = "file missing or unreadable";
      } else {
        s.ok = true;
        s.bytes = static_cast<uint64_t>(st.st_size);
      }
    }
    completions.emplace_back(r.slot_idx, s.ok);
    serviced.push_back(std::move(s));
  }
  complete_io_requests_batch(io_queue, completions);
  return serviced;
}

DispatchResult run_dispatch(PassRunner& runner, CheckedBuffers checked, const DispatchOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  DispatchBuffers buffers = std::move(checked).take();
  if (options.mode == DispatchMode::Persistent && options.max_iterations == 0)
    throw Error::usage("--max-iterations must be at least 1 in persistent mode", "pass --max-iterations N");
  DispatchResult result;
  std::array<uint32_t, stats::WORDS> st{};
  runner.set_cancel(options.cancel);
  runner.begin(buffers, options, result.timings);
  // Until end() returns the runner may still move `buffers`: an error
  // leaving before then waits for that, so they go only after it.
  const detail::ScopeFail abandon_on_error([&runner]() noexcept { runner.abandon(); });
  const uint32_t iterations = options.mode == DispatchMode::Once ? 1 : options.max_iterations;
  const uint64_t io_slots = buffers.io_queue.size() / protocol::io::IO_SLOT_BYTES;
  // Each launch after the first finishes every waiting slot and gives each
  // freed IO slot to a new request, so this many launches always suffice.
  const uint64_t max_launches = 4 + 2 * ((uint64_t{buffers.slot_count()} + io_slots - 1) / io_slots);
  uint32_t last_waiting = 0, last_full = 0, last_faults = 0;
  for (;;) {
    if (options.cancel.stop_requested())
      throw Error::cancelled("the dispatch was stopped before launch " + std::to_string(result.launches + 1));
    st[stats::WAITING] = st[stats::IO_FULL] = 0;
    runner.launch(iterations, st, buffers, result.timings);
    ++result.launches;
    result.passes += iterations;
    auto serviced = pump_io_queue(buffers.io_queue, options.resources, result.launches);
    result.io.insert(result.io.end(), serviced.begin(), serviced.end());
    if (st[stats::WAITING] == 0 && st[stats::IO_FULL] == 0) break;
    const bool stalled = result.launches > 1 && serviced.empty() && st[stats::WAITING] == last_waiting &&
                         st[stats::IO_FULL] == last_full && st[stats::FAULTS] == last_faults;
    if (stalled) {
      result.io_stalled_waiting = st[stats::WAITING];
      result.io_stalled_queue_full = st[stats::IO_FULL];
      break;
    }
    last_waiting = st[stats::WAITING];
    last_full = st[stats::IO_FULL];
    last_faults = st[stats::FAULTS];
    if (result.launches >= max_launches)
      throw Error::backend("LOAD_MISS requests did not drain after " + std::to_string(result.launches) + " launches",
                           "check the IO queue for slots the host cannot complete");
  }
  runner.end(buffers, result.timings);
  if (options.result_ring_in_runner) result.runner_ring = runner.take_result_ring();
  result.faults = st[stats::FAULTS];
  result.backend = runner.backend_name();
  result.device = runner.device_name();
  result.workgroup_size = runner.workgroup_size();
  result.buffers = std::move(buffers);
  result.timings.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  // The caller's ring is still the start; it goes once the clock has
  // stopped, as the whole result goes when the caller is done with it.
  if (result.runner_ring.owner) result.buffers.ring = Bytes();
  return result;
}

}  // namespace vyre

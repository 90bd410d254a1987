// Running a ring: the four buffers, the options of a dispatch, the host IO
// pump that services LOAD_MISS requests between passes, and the result that
// `vyre dispatch` reports. Backends (the OpenCL megakernel and the CPU
// reference interpreter) only run passes; everything else is shared here.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <stop_token>
#include <string_view>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "vyre/control.h"
#include "vyre/dispatch_buffers.h"

namespace vyre {

// The dispatcher's own counters (binding 4 of the kernel), not part of the
// wire protocol: the control buffer keeps upstream's layout exactly.
namespace stats {
inline constexpr uint32_t FAULTS = 0;   // slots marked FAULT (cumulative)
inline constexpr uint32_t WAITING = 1;  // WAIT_IO slots still waiting after the pass
inline constexpr uint32_t IO_FULL = 2;  // LOAD_MISS lanes that found no EMPTY IO slot in the pass
// A pass's DONE_COUNT and METRICS increments wait here until every
// work-group of the pass has run; the last group to finish moves them into
// the control words (zero between passes).
inline constexpr uint32_t GROUPS_DONE = 3;
inline constexpr uint32_t PENDING_DONE = 4;
inline constexpr uint32_t PENDING_METRICS = 5;
inline constexpr uint32_t WORDS = PENDING_METRICS + protocol::control::METRICS_SLOTS;
}  // namespace stats

enum class DispatchMode { Once, Persistent };

// Resource id -> file, for LOAD_MISS requests (`--resources MAP.json`).
using ResourceMap = std::map<uint32_t, std::string>;

struct DispatchOptions {
  DispatchMode mode = DispatchMode::Once;
  uint32_t max_iterations = 1;  // per launch, persistent mode
  uint32_t workgroup_size = 0;  // 0: the backend chooses
  ResourceMap resources;
  // Checked between launches: a stop request ends the dispatch with an error.
  std::stop_token cancel;
  // The caller's ring is the one it gave PassRunner::keep_start: a runner
  // that keeps starting buffers uploads from its own copy (pinned memory).
  bool start_is_kept = false;
  // For a caller that reads the result's ring only through
  // DispatchResult::ring() (vyre bench, which reads none of it): a runner
  // may then leave the ring in its own pinned memory, which the device fills
  // by DMA faster than the host's cores apply the changes to the caller's
  // copy, whose every line they must read first. Code that takes
  // result.buffers whole (an --out-dir, a replay's next round) must not set
  // it: their ring would be empty.
  bool result_ring_in_runner = false;
};

struct IoServiced {
  uint32_t pass = 0;  // the pass after which the host serviced it
  uint32_t io_slot = 0;
  uint32_t resource_id = 0;
  std::string file;  // empty when the id is not in the resource map
  bool ok = false;
  uint64_t bytes = 0;
  std::string error;
};

struct DispatchTimings {
  double device_ms = 0;  // choosing the device and creating its context
  double build_ms = 0;
  double transfer_ms = 0;  // upload_ms + readback_ms + the IO pump's small transfers
  double upload_ms = 0, readback_ms = 0;
  double kernel_ms = 0, total_ms = 0;
  bool build_cache_hit = false;
};

// A result's ring that stayed in a runner's memory
// (DispatchOptions::result_ring_in_runner): `owner` keeps it alive, after
// the runner too; the runner never reuses memory a result still holds.
struct RunnerRing {
  std::shared_ptr<const void> owner;
  ByteSpan bytes;
};

struct DispatchResult {
  DispatchBuffers buffers;  // with an empty ring when runner_ring holds it
  RunnerRing runner_ring;
  ByteSpan ring() const { return runner_ring.owner ? runner_ring.bytes : ByteSpan(buffers.ring); }
  uint32_t faults = 0;
  uint32_t passes = 0;
  uint32_t launches = 0;
  std::vector<IoServiced> io;
  DispatchTimings timings;
  std::string backend, device;
  uint32_t workgroup_size = 0;
  // LOAD_MISS slots left behind because a launch made no progress: slots
  // still WAIT_IO on a request nobody completes, and slots left PUBLISHED
  // because no IO slot became EMPTY (e.g. a captured queue of stuck slots).
  uint32_t io_stalled_waiting = 0, io_stalled_queue_full = 0;
};

// The bus's speed between pinned host memory and a device.
struct TransferRates {
  double host_to_device_gbps = 0, device_to_host_gbps = 0;
};

// One launch of a backend over the buffers: `iterations` passes of every
// lane (1 in once mode). Implementations update the buffers and `stats`.
class PassRunner {
 public:
  virtual ~PassRunner() = default;
  virtual std::string backend_name() const = 0;
  virtual std::string device_name() const = 0;
  virtual uint32_t workgroup_size() const = 0;
  // Starting buffers the caller will dispatch again and again (a bench): a
  // runner may keep a copy where its uploads are fastest. A dispatch with
  // DispatchOptions::start_is_kept then starts from that copy.
  virtual void keep_start(const DispatchBuffers& start) { (void)start; }
  // Upload buffers once before the first launch and read them back after
  // the last; between launches only the IO queue and stats move (a runner
  // may read control and debug log early when no launch can follow, as the
  // OpenCL runner does behind a pipelined pass).
  virtual void begin(DispatchBuffers& buffers, const DispatchOptions& options, DispatchTimings& timings) = 0;
  virtual void launch(uint32_t iterations, std::array<uint32_t, stats::WORDS>& stats, DispatchBuffers& buffers,
                      DispatchTimings& timings) = 0;
  virtual void end(DispatchBuffers& buffers, DispatchTimings& timings) = 0;
  // After end(): the ring, when the dispatch left it in the runner's memory
  // (DispatchOptions::result_ring_in_runner), once; `buffers.ring` then
  // still holds the start. Otherwise nothing, and end() brought every
  // change into `buffers`.
  virtual RunnerRing take_result_ring() { return {}; }
  // From begin() until end() returns a runner may still be moving the
  // buffers (the OpenCL runner's uploads run on after begin() returns). A
  // caller that gives up a dispatch without end() calls this before the
  // buffers go; it waits for those transfers and never throws.
  virtual void abandon() noexcept {}
  // The bus's speed for `bytes` each way, measured now; nullopt for a
  // backend without a bus (the reference interpreter).
  virtual std::optional<TransferRates> measure_bus(size_t bytes) {
    (void)bytes;
    return std::nullopt;
  }
  // The bytes a dispatch of `buffers` must move each way, as this runner
  // needs them: what a bench's floor counts (the OpenCL runner needs two
  // bytes a slot back, not the ring, though it brings the ring back when it
  // may keep it, DispatchOptions::result_ring_in_runner).
  virtual std::pair<uint64_t, uint64_t> bytes_moved(const BufferSizes& sizes) {
    (void)sizes;
    return {0, 0};
  }
  // A runner that can stop inside a launch checks this token (the OpenCL
  // runner between the bounded kernels it splits a launch into).
  virtual void set_cancel(std::stop_token token) { (void)token; }
};

// Runs launches until no LOAD_MISS is pending, servicing IO between them.
// When a launch services no request and leaves the same waiting and
// queue-full counts as the one before, nothing can change any more: the
// dispatch ends and reports the stalled slots (io_stalled_*).
DispatchResult run_dispatch(PassRunner& runner, CheckedBuffers buffers, const DispatchOptions& options);

// The host pump: claims PUBLISHED requests and completes each OK when its
// resource id maps to a readable file, ERROR otherwise.
std::vector<IoServiced> pump_io_queue(MutableByteSpan io_queue, const ResourceMap& resources, uint32_t pass);

}  // namespace vyre

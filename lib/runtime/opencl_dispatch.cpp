#include "vyre/opencl_dispatch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "vyre/detail/scope_fail.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/pinned_memory.h"
#include "vyre/program_cache.h"
#include "host_parallel.h"

namespace vyre {

extern const char kMegakernelSource[];  // generated from kernels/megakernel.cl

namespace {

namespace p = protocol;

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

template <typename F>
auto cl_call(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const cl::Error& e) {
    throw Error::backend(std::string("OpenCL ") + what + ": " + describe_cl_error(e),
                         "check the device with `vyre devices`, or use --backend reference");
  }
}

}  // namespace

std::string megakernel_build_options() {
  struct Def {
    const char* name;
    uint64_t value;
  };
  const Def defs[] = {
      {"VYRE_SLOT_WORDS", p::SLOT_WORDS},
      {"VYRE_STATUS_WORD", p::STATUS_WORD},
      {"VYRE_ARG0_WORD", p::ARG0_WORD},
      {"VYRE_ARGS_PER_SLOT", p::ARGS_PER_SLOT},
      {"VYRE_OBS", p::control::OBSERVABLE_BASE},
      {"VYRE_CTL_SHUTDOWN", p::control::SHUTDOWN},
      {"VYRE_CTL_DONE_COUNT", p::control::DONE_COUNT},
      {"VYRE_CTL_TENANT_BASE", p::control::TENANT_BASE},
      {"VYRE_CTL_METRICS_BASE", p::control::METRICS_BASE},
      {"VYRE_CTL_EPOCH", p::control::EPOCH},
      {"VYRE_METRICS_SLOTS", p::control::METRICS_SLOTS},
      {"VYRE_SLOT_EMPTY", p::slot::EMPTY},
      {"VYRE_SLOT_PUBLISHED", p::slot::PUBLISHED},
      {"VYRE_SLOT_CLAIMED", p::slot::CLAIMED},
      {"VYRE_SLOT_DONE", p::slot::DONE},
      {"VYRE_SLOT_WAIT_IO", p::slot::WAIT_IO},
      {"VYRE_SLOT_FAULT", p::slot::FAULT},
      {"VYRE_PACKED_MAX_INNER_OPS", p::opcode::PACKED_MAX_INNER_OPS},
      {"VYRE_PACKED_INNER_ARGS", p::opcode::PACKED_INNER_ARGS},
      {"VYRE_PACKED_HEADER_BYTES", p::opcode::PACKED_HEADER_BYTES},
      {"VYRE_PACKED_OP_BYTES", p::opcode::PACKED_OP_BYTES},
      {"VYRE_DEBUG_CURSOR_WORD", p::debug::CURSOR_WORD},
      {"VYRE_DEBUG_RECORDS_BASE", p::debug::RECORDS_BASE},
      {"VYRE_DEBUG_RECORD_WORDS", p::debug::RECORD_WORDS},
      {"VYRE_IO_SLOT_WORDS", p::io::IO_SLOT_WORDS},
      {"VYRE_IO_OP_TYPE", p::io::word::OP_TYPE},
      {"VYRE_IO_SRC_HANDLE", p::io::word::SRC_HANDLE},
      {"VYRE_IO_DST_HANDLE", p::io::word::DST_HANDLE},
      {"VYRE_IO_OFFSET_LO", p::io::word::OFFSET_LO},
      {"VYRE_IO_OFFSET_HI", p::io::word::OFFSET_HI},
      {"VYRE_IO_BYTE_COUNT", p::io::word::BYTE_COUNT},
      {"VYRE_IO_STATUS", p::io::word::STATUS},
      {"VYRE_IO_TAG", p::io::word::TAG},
      {"VYRE_IO_OP_READ", p::io::op::READ},
      {"VYRE_IO_STATUS_OK", p::io::status::OK},
      {"VYRE_IO_STATUS_ERROR", p::io::status::ERROR},
      {"VYRE_STAT_FAULTS", stats::FAULTS},
      {"VYRE_STAT_WAITING", stats::WAITING},
      {"VYRE_STAT_IO_FULL", stats::IO_FULL},
      {"VYRE_STAT_GROUPS_DONE", stats::GROUPS_DONE},
      {"VYRE_STAT_PENDING_DONE", stats::PENDING_DONE},
      {"VYRE_STAT_PENDING_METRICS", stats::PENDING_METRICS},
  };
  std::string out = "-cl-std=CL1.2";
  for (const auto& d : defs) out += " -D" + std::string(d.name) + "=" + std::to_string(d.value) + "u";
  for (const auto& op : p::opcode::kOpcodes) out += " -DVYRE_OP_" + std::string(op.name) + "=" + std::to_string(op.value) + "u";
  // Extra compiler options for one device's driver (e.g. register limits);
  // part of the program cache key like every other option.
  if (const char* extra = std::getenv("VYRE_CL_OPTIONS"); extra && *extra) out += std::string(" ") + extra;
  return out;
}

const std::string& megakernel_source() {
  static const std::string source = kMegakernelSource;
  return source;
}

std::string megakernel_program(const UserOpcodes& opcodes) { return megakernel_source() + opcodes.kernel_source(); }

namespace {
constexpr uint8_t kGuardPattern = 0xA5;
// Rings from this size overlap their upload with a one-pass dispatch, in
// this many chunks: enough that the tail (the last chunk's kernel, change
// read and apply) is small, few enough that each DMA runs at the bus's speed
// (an H200, 1M NOP slots: wall 2.42 ms with 8 chunks, 2.74 with 16, 3.33
// with 32).
constexpr size_t kPipelineMinBytes = size_t{8} << 20;
constexpr size_t kPipelineChunks = 8;

MutableByteSpan stats_bytes(std::array<uint32_t, stats::WORDS>& st) {
  return {reinterpret_cast<uint8_t*>(st.data()), st.size() * 4};
}
}  // namespace

struct OpenClRunner::State {
  SelectedDevice device;
  cl::Context context;
  cl::CommandQueue queue;
  cl::Kernel kernel;
  BuiltProgram built;
  uint32_t workgroup_size = 0;
  bool build_reported = false;
  double device_ms = 0;
  cl::Buffer control, ring, debug_log, io_queue, stats, changes;
  // Device buffers are kept from one dispatch to the next and grow when a
  // larger one comes: allocating 64 MiB per dispatch costs more than its
  // kernel. A dispatch binds only the sizes it uses.
  std::array<size_t, 6> capacity{};
  // Pinned host memory: the ring's upload stages through `upload`, the
  // change bytes come back into `readback`, `kept` holds keep_start's ring.
  // A runner's first dispatch moves pageable memory instead: pinning 64 MiB
  // costs more than the driver's own staging of one transfer, so pinned
  // buffers are made once a runner is reused (a bench, a server, a replay).
  PinnedMemory upload, readback, kept;
  size_t kept_size = 0;
  // A result's ring left here (DispatchOptions::result_ring_in_runner), in
  // memory shared with the results that still view it: a dispatch takes
  // new memory while an earlier result holds this. The last result to go
  // unmaps it through the runner's queue, waiting for what runs there.
  std::shared_ptr<PinnedMemory> result_ring;
  size_t result_ring_size = 0;
  bool ring_may_stay = false;  // this dispatch's option
  // Its pipelined pass brought the ring itself back; what a later launch
  // changed comes into the caller's copy instead (read_behind_pass()).
  bool ring_came_back = false;
  uint64_t dispatches = 0;
  Bytes first_changes;  // the first dispatch's change bytes (pageable)
  // Control, debug log, IO queue and counters come back through pinned
  // memory too once the runner is reused (stage_small()): a read into
  // pageable memory waits for the driver's staging copy, and on an H200 the
  // four reads behind a pipelined pass took 0.27 ms that way, an eighth of
  // the wall. What a read brings lands in the caller's buffer in
  // finish_small_reads(), after the wait that covers it; the buffers' sizes
  // are fixed from begin() to end(), so each read fits the region
  // stage_small() gave it. Their writes stay pageable: the driver sends a
  // small one with the commands, while one from pinned memory queues behind
  // the ring's chunks on the copy engine (an H200, 1M NOP slots: every
  // kernel after every chunk, 2.77 ms wall against 1.84-1.94).
  enum SmallBuffer : size_t { kControl, kDebugLog, kIoQueue, kStats, kSmallBuffers };
  PinnedMemory small;
  bool small_pinned = false;  // in this dispatch
  std::array<size_t, kSmallBuffers> small_at{};
  struct StagedRead {
    const uint8_t* from;
    uint8_t* to;
    size_t size;
  };
  std::vector<StagedRead> staged_reads;
  void stage_small(const DispatchBuffers& b) {
    staged_reads.clear();
    small_pinned = dispatches > 0;
    if (!small_pinned) return;
    const std::array<size_t, kSmallBuffers> sizes = {b.control.size(), b.debug_log.size(), b.io_queue.size(),
                                                     stats::WORDS * 4};
    size_t at = 0;
    for (size_t i = 0; i < kSmallBuffers; ++i) {
      small_at[i] = at;
      at += (sizes[i] + 63) / 64 * 64;  // each on lines of its own
    }
    cl_call("pinned memory", [&] {
      small.reserve(context, queue, at);
      return 0;
    });
  }
  void read_small(SmallBuffer which, const cl::Buffer& buffer, MutableByteSpan bytes, cl_bool blocking = CL_FALSE,
                  cl::Event* event = nullptr) {
    void* to = bytes.data();
    if (small_pinned) {
      uint8_t* staged = small.data() + small_at[which];
      staged_reads.push_back({staged, bytes.data(), bytes.size()});
      to = staged;
    }
    queue.enqueueReadBuffer(buffer, blocking, 0, bytes.size(), to, nullptr, event);
  }
  void finish_small_reads() {
    for (const StagedRead& r : staged_reads) std::memcpy(r.to, r.from, r.size);
    staged_reads.clear();
  }
  // The ring's upload in chunks of whole work-groups, which begin() starts
  // for the first launch to overlap with its pass (pipeline_first_pass);
  // empty: the ring is up, or goes up whole.
  std::vector<cl::Event> ring_chunks;
  struct Chunking {
    uint64_t chunk_slots;
    size_t chunks;
  };
  Chunking chunking() const {
    const uint64_t wg = workgroup_size;
    const uint64_t groups = (uint64_t{slot_count} + wg - 1) / wg;
    const uint64_t chunk_slots = std::max<uint64_t>(1, (groups + kPipelineChunks - 1) / kPipelineChunks) * wg;
    return {chunk_slots, static_cast<size_t>((slot_count + chunk_slots - 1) / chunk_slots)};
  }
  uint32_t launches = 0;         // in this dispatch
  bool changes_applied = false;  // the first launch brought the changes back
  // That launch also read control, debug log, IO queue and counters behind
  // its last chunk; the IO queue as it came (the host's copy is pumped).
  cl::Event pass_reads;
  Bytes pass_io_queue;
  // The only launch was that pass: nothing is left to read back.
  bool read_behind_pass() const { return changes_applied && launches == 1; }
  // A queue of its own for the overlapped uploads: a device overlaps copies
  // with kernels and with copies the other way only across queues.
  cl::CommandQueue copy_in;
  std::unique_ptr<detail::WorkerPool> pool;
  detail::WorkerPool& workers() {
    if (!pool) pool = std::make_unique<detail::WorkerPool>();
    return *pool;
  }
  // Waits for the ring's chunks when no pipelined pass took them: a launch
  // of another kind, an end with no launch, or a new begin or kept start
  // about to refill the memory they are read from.
  void finish_ring_chunks() {
    if (ring_chunks.empty()) return;
    cl_call("ring upload", [&] {
      cl::WaitForEvents(ring_chunks);
      return 0;
    });
    ring_chunks.clear();
  }
  // Waits for every transfer from or into the caller's buffers.
  void drain() noexcept {
    if (copy_in()) clFinish(copy_in());
    if (queue()) clFinish(queue());
    ring_chunks.clear();
    staged_reads.clear();  // a failed launch's: their targets may be gone
  }
  // Transfers from or into the caller's buffers may still run when an error
  // leaves begin(), launch() or end(): the queues are drained first, so the
  // device never touches memory that the unwinding frees.
  auto drain_on_error() {
    return detail::ScopeFail([this]() noexcept { drain(); });
  }
  uint32_t slot_count = 0;
  uint32_t guard_bytes = 0;
  std::stop_token cancel;
  // Guard mode: the arena and where each buffer lies in it.
  cl::Buffer arena;
  uint64_t arena_size = 0;
  struct Region {
    const char* name;
    uint64_t offset, size;
  };
  std::vector<Region> regions;
};

OpenClRunner::OpenClRunner(const OpenClOptions& options) : s_(std::make_unique<State>()) {
  s_->guard_bytes = options.guard_bytes;
  const auto t0 = std::chrono::steady_clock::now();
  s_->device = select_device(options.device_selector);
  cl_call("context", [&] {
    s_->context = cl::Context(s_->device.device);
    s_->queue = cl::CommandQueue(s_->context, s_->device.device, CL_QUEUE_PROFILING_ENABLE);
    return 0;
  });
  s_->device_ms = ms_since(t0);
  const ProgramOrigin origin =
      options.opcodes.empty()
          ? ProgramOrigin{"the megakernel", "check the device's OpenCL C 1.2 support and $VYRE_CL_OPTIONS"}
          : ProgramOrigin{"the user opcodes of " + options.opcodes.name(),
                          "fix the errors above in " + options.opcodes.name() + " (see vyre-opcodes(7))"};
  s_->built = build_program(s_->context, s_->device, megakernel_program(options.opcodes), megakernel_build_options(),
                            options.use_cache, origin);
  cl_call("kernel", [&] {
    s_->kernel = cl::Kernel(s_->built.program, "vyre_megakernel");
    return 0;
  });
  const auto kernel_max = static_cast<uint32_t>(
      cl_call("work-group query", [&] { return s_->kernel.getWorkGroupInfo<CL_KERNEL_WORK_GROUP_SIZE>(s_->device.device); }));
  if (options.workgroup_size != 0) {
    if (options.workgroup_size > kernel_max)
      throw Error::invalid_input("--workgroup-size " + std::to_string(options.workgroup_size),
                                 "the megakernel allows at most " + std::to_string(kernel_max) + " work-items per group on " +
                                     s_->device.info.name,
                                 "pass a smaller --workgroup-size, or leave it out");
    s_->workgroup_size = options.workgroup_size;
  } else {
    s_->workgroup_size = std::min<uint32_t>(256, kernel_max);
  }
}

OpenClRunner::~OpenClRunner() = default;
std::string OpenClRunner::device_name() const { return s_->device.info.label(); }
uint32_t OpenClRunner::workgroup_size() const { return s_->workgroup_size; }
const DeviceInfo& OpenClRunner::device_info() const { return s_->device.info; }
double OpenClRunner::build_ms() const { return s_->built.build_ms; }
bool OpenClRunner::build_cache_hit() const { return s_->built.cache_hit; }
std::string OpenClRunner::build_log() const {
  try {
    return s_->built.program.getBuildInfo<CL_PROGRAM_BUILD_LOG>(s_->device.device);
  } catch (const cl::Error&) {
    return {};
  }
}

void OpenClRunner::keep_start(const DispatchBuffers& start) {
  s_->finish_ring_chunks();  // a begun dispatch may still be uploading from the kept copy
  cl_call("pinned memory", [&] {
    s_->kept.reserve(s_->context, s_->queue, start.ring.size());
    return 0;
  });
  s_->workers().copy(s_->kept.data(), start.ring.data(), start.ring.size());
  s_->kept_size = start.ring.size();
}

void OpenClRunner::begin(DispatchBuffers& b, const DispatchOptions& options, DispatchTimings& timings) {
  const auto drain = s_->drain_on_error();
  if (!s_->build_reported) {
    timings.device_ms = s_->device_ms;
    timings.build_ms = s_->built.build_ms;
    timings.build_cache_hit = s_->built.cache_hit;
    s_->build_reported = true;
  }
  const auto t0 = std::chrono::steady_clock::now();
  s_->slot_count = b.slot_count();
  s_->launches = 0;
  s_->changes_applied = false;
  s_->ring_may_stay = options.result_ring_in_runner;
  s_->ring_came_back = false;
  s_->finish_ring_chunks();  // begun, neither launched nor ended: still uploading from memory this refills
  s_->stage_small(b);
  if (s_->guard_bytes > 0) {
    begin_guarded(b);
  } else {
    cl_call("buffer upload", [&] {
      // Buffers are at least 64 bytes (a zero-slot ring still needs a buffer
      // to bind); only the host's own bytes are copied in, the kernel never
      // reads past the sizes it is given.
      auto bind = [&](size_t which, cl::Buffer& buffer, size_t size) {
        size = std::max<size_t>(size, 64);
        if (s_->capacity[which] < size) {
          buffer = cl::Buffer(s_->context, CL_MEM_READ_WRITE, size);
          s_->capacity[which] = size;
        }
      };
      bind(0, s_->control, b.control.size());
      bind(1, s_->ring, b.ring.size());
      bind(2, s_->debug_log, b.debug_log.size());
      bind(3, s_->io_queue, b.io_queue.size());
      bind(4, s_->stats, stats::WORDS * 4);
      bind(5, s_->changes, size_t{s_->slot_count} * 2);
      return 0;
    });
    // A one-pass dispatch of a large ring overlaps the upload with the pass.
    // Its chunks are enqueued first, so that the first one crosses the bus
    // while the small writes below and the launch's are enqueued (an H200,
    // 1M NOP slots, with the profiling queries moved: median wall 3-9% lower).
    const bool one_pass = options.mode == DispatchMode::Once || options.max_iterations == 1;
    upload_ring(b, options.start_is_kept, one_pass && b.ring.size() >= kPipelineMinBytes);
    cl_call("buffer upload", [&] {
      s_->queue.enqueueWriteBuffer(s_->control, CL_FALSE, 0, b.control.size(), b.control.data());
      s_->queue.enqueueWriteBuffer(s_->debug_log, CL_FALSE, 0, b.debug_log.size(), b.debug_log.data());
      s_->queue.enqueueFillBuffer(s_->changes, uint8_t{0xFF}, 0, std::max<size_t>(size_t{s_->slot_count} * 2, 2));
      return 0;
    });
  }
  timings.upload_ms += ms_since(t0);
  timings.transfer_ms += ms_since(t0);
}

// The ring is most of what crosses the bus: it goes from the kept start,
// from pinned memory filled by all cores, or on a runner's first dispatch
// straight from the caller's memory; in one DMA now, or in chunks started
// now for the first launch to overlap with its pass (`chunked`).
void OpenClRunner::upload_ring(const DispatchBuffers& b, bool start_is_kept, bool chunked) {
  if (b.ring.empty()) return;
  const uint8_t* from = b.ring.data();
  if (start_is_kept && s_->kept_size == b.ring.size()) {
    from = s_->kept.data();
  } else if (s_->dispatches > 0) {
    cl_call("pinned memory", [&] {
      s_->upload.reserve(s_->context, s_->queue, b.ring.size());
      return 0;
    });
    s_->workers().copy(s_->upload.data(), b.ring.data(), b.ring.size());
    from = s_->upload.data();
  }
  cl_call("ring upload", [&] {
    if (!chunked) {
      s_->queue.enqueueWriteBuffer(s_->ring, CL_TRUE, 0, b.ring.size(), from);
      return 0;
    }
    // On a queue of its own: the small writes and the kernels go on the
    // kernel's queue meanwhile, each kernel waiting for its chunk only.
    if (!s_->copy_in()) s_->copy_in = cl::CommandQueue(s_->context, s_->device.device, CL_QUEUE_PROFILING_ENABLE);
    const auto [chunk_slots, chunks] = s_->chunking();
    s_->ring_chunks.resize(chunks);
    for (size_t k = 0; k < chunks; ++k) {
      const uint64_t first = k * chunk_slots, n = std::min<uint64_t>(chunk_slots, s_->slot_count - first);
      s_->copy_in.enqueueWriteBuffer(s_->ring, CL_FALSE, first * p::SLOT_BYTES, n * p::SLOT_BYTES,
                                     from + first * p::SLOT_BYTES, nullptr, &s_->ring_chunks[k]);
    }
    s_->copy_in.flush();
    return 0;
  });
}

// Where a dispatch's change bytes land on the host: pinned memory once the
// runner is reused, the first time ordinary memory.
uint8_t* OpenClRunner::change_bytes_host(size_t bytes) {
  if (s_->dispatches == 0) {
    s_->first_changes.resize(bytes);
    return s_->first_changes.data();
  }
  cl_call("pinned memory", [&] {
    s_->readback.reserve(s_->context, s_->queue, bytes);
    return 0;
  });
  return s_->readback.data();
}

// Where a result's ring comes back when it may stay in the runner: memory no
// earlier result holds.
uint8_t* OpenClRunner::result_ring_host(size_t bytes) {
  if (!s_->result_ring || s_->result_ring.use_count() > 1) s_->result_ring = std::make_shared<PinnedMemory>();
  // A result dropped on another thread may have read this memory last:
  // its reads come before the device's writes below.
  std::atomic_thread_fence(std::memory_order_acquire);
  cl_call("pinned memory", [&] {
    s_->result_ring->reserve(s_->context, s_->queue, bytes);
    return 0;
  });
  s_->result_ring_size = bytes;
  return s_->result_ring->data();
}

RunnerRing OpenClRunner::take_result_ring() {
  if (!std::exchange(s_->ring_came_back, false) || !s_->read_behind_pass()) return {};
  return {s_->result_ring, ByteSpan(s_->result_ring->data(), s_->result_ring_size)};
}

// The first pass of a one-pass dispatch in chunks of consecutive slots, each
// chunk's upload, kernel, change read and host apply in a pipeline: chunk k
// uploads while chunk k-1 runs and chunk k-2's changes come back and are
// applied (or, when the ring may stay in the runner, its slots come back).
// A slot's status is changed only by its own lane, so a chunk's changes are
// final for this pass when its kernel ends; the last work-group of the
// whole pass still commits the pass's counters (pass_groups).
void OpenClRunner::pipeline_first_pass(DispatchBuffers& b, std::array<uint32_t, stats::WORDS>& st,
                                       DispatchTimings& timings) {
  const uint64_t wg = s_->workgroup_size;
  const uint64_t slots = s_->slot_count;
  const auto [chunk_slots, chunks] = s_->chunking();
  // A ring that may stay in the runner comes back whole into pinned memory,
  // each chunk behind its kernel, and no core touches it. The apply reads
  // every line of the caller's copy for ownership while the upload reads
  // the start, and on the H200's host that memory traffic, not the bus,
  // set the wall; the ring's own way back costs the host one write of it
  // (1M NOP slots, vyre bench, 8 alternating rounds: median wall 2.16-2.33
  // ms this way, 2.28-3.21 ms with the apply). A runner's first dispatch
  // has no pinned memory yet (begin()).
  const bool ring_comes_back = s_->ring_may_stay && s_->dispatches > 0;
  uint8_t* ring_back = ring_comes_back ? result_ring_host(b.ring.size()) : nullptr;
  uint8_t* changes = ring_comes_back ? nullptr : change_bytes_host(slots * 2);
  std::vector<cl::Event> kernel(chunks), down(chunks);
  const std::vector<cl::Event>& up = s_->ring_chunks;
  cl_call("overlapped pass", [&] {
    // The buffers begin() wrote and the launch's IO queue and counters are
    // ahead on the kernel's queue. Each chunk's change read follows its
    // kernel there: a read on a third queue waiting for the kernel's event
    // starts late on NVIDIA's driver (after every upload), one in order does
    // not.
    for (size_t k = 0; k < chunks; ++k) {
      const uint64_t first = k * chunk_slots, n = std::min(chunk_slots, slots - first);
      s_->kernel.setArg(10, static_cast<cl_uint>(first));
      const std::vector<cl::Event> after_upload = {up[k]};
      s_->queue.enqueueNDRangeKernel(s_->kernel, cl::NullRange, cl::NDRange((n + wg - 1) / wg * wg), cl::NDRange(wg),
                                     &after_upload, &kernel[k]);
      if (ring_comes_back)
        s_->queue.enqueueReadBuffer(s_->ring, CL_FALSE, first * p::SLOT_BYTES, n * p::SLOT_BYTES,
                                    ring_back + first * p::SLOT_BYTES, nullptr, &down[k]);
      else
        s_->queue.enqueueReadBuffer(s_->changes, CL_FALSE, first * 2, n * 2, changes + first * 2, nullptr, &down[k]);
    }
    // What launch() and end() read after a pass comes behind its last chunk,
    // while the host applies that chunk: two round trips fewer.
    s_->read_small(State::kControl, s_->control, b.control);
    s_->read_small(State::kDebugLog, s_->debug_log, b.debug_log);
    s_->read_small(State::kIoQueue, s_->io_queue, b.io_queue);
    s_->read_small(State::kStats, s_->stats, stats_bytes(st), CL_FALSE, &s_->pass_reads);
    s_->queue.flush();
    return 0;
  });
  // One thread waits for the chunks' reads, announces each and applies a
  // share of it; the others spin until a chunk is announced and apply
  // theirs. Waiting for an event from every thread costs more than the
  // apply (the driver's waits serialize), and a round of wake-ups per chunk
  // too; so does a profiling query between the waits (an H200: 0.3 ms more
  // a dispatch). The queries come once the last chunk is announced, from the
  // waiting thread while the others apply that chunk (0.1 ms off the wall).
  const auto t0 = std::chrono::steady_clock::now();
  std::atomic<size_t> ready{0};
  std::atomic<bool> failed{false};
  cl_int error = CL_SUCCESS;
  const char* failed_call = nullptr;
  std::array<double, 3> event_ms{};  // upload, kernel, change read: summed over the chunks
  // Every core applies, the waiting one too, between its waits: the apply's
  // reads for ownership, not the bus, bound this pass (an H200 host, 1M NOP
  // slots: median wall 3.7-4.5 ms with 3 appliers, 2.6-3.1 with 7, 2.0-2.6
  // with 15, and 2-3% less again with the waiting thread's share).
  const size_t appliers = std::max<size_t>(1, s_->workers().size() - 1);
  const size_t shares = appliers + 1;  // the last is the waiting thread's
  auto apply_share = [&](size_t k, size_t worker) {
    const uint64_t first = k * chunk_slots, n = std::min(chunk_slots, slots - first);
    const uint64_t share = (n + shares - 1) / shares;
    const uint64_t from = first + std::min(n, worker * share), to = first + std::min(n, (worker + 1) * share);
    apply_changes_serial(b, changes, from, to);
  };
  // The call that failed, or nullptr; `error` holds its code. OpenCL's C
  // API: this runs on a pool thread, which must not throw.
  auto wait_and_announce = [&]() -> const char* {
    for (size_t k = 0; k < chunks; ++k) {
      const cl_event e = down[k]();
      error = clWaitForEvents(1, &e);
      if (error != CL_SUCCESS) return "clWaitForEvents";
      if (ring_comes_back) continue;
      ready.store(k + 1, std::memory_order_release);
      apply_share(k, appliers);
    }
    // Profiling times are there once an event is complete, which a later
    // command's completion does not imply on every driver.
    std::vector<cl_event> rest = {s_->pass_reads()};
    for (size_t k = 0; k < chunks; ++k) rest.insert(rest.end(), {up[k](), kernel[k]()});
    error = clWaitForEvents(static_cast<cl_uint>(rest.size()), rest.data());
    if (error != CL_SUCCESS) return "clWaitForEvents";
    for (size_t k = 0; k < chunks; ++k) {
      const std::array<cl_event, 3> events = {up[k](), kernel[k](), down[k]()};
      for (size_t i = 0; i < events.size(); ++i) {
        cl_ulong start = 0, stop = 0;
        error = clGetEventProfilingInfo(events[i], CL_PROFILING_COMMAND_START, sizeof start, &start, nullptr);
        if (error == CL_SUCCESS)
          error = clGetEventProfilingInfo(events[i], CL_PROFILING_COMMAND_END, sizeof stop, &stop, nullptr);
        if (error != CL_SUCCESS) return "clGetEventProfilingInfo";
        event_ms[i] += static_cast<double>(stop - start) / 1e6;
      }
    }
    return nullptr;
  };
  if (ring_comes_back) failed_call = wait_and_announce();  // nothing to apply
  else s_->workers().parallel_for(appliers + 1, 1, [&](size_t begin, size_t end) {
    for (size_t piece = begin; piece < end; ++piece) {
      if (piece == 0) {
        failed_call = wait_and_announce();
        if (failed_call != nullptr) {
          failed = true;
          ready.store(chunks, std::memory_order_release);
        }
        continue;
      }
      const size_t worker = piece - 1;
      for (size_t k = 0; k < chunks; ++k) {
        // Spin briefly, then yield: on a CPU device the kernel needs these cores.
        for (int spins = 0; ready.load(std::memory_order_acquire) <= k; ++spins)
          if (spins < 4096) detail::cpu_relax();
          else std::this_thread::yield();
        if (failed) return;
        apply_share(k, worker);
      }
    }
  });
  if (failed_call != nullptr) cl_call("overlapped pass", [&]() -> int { throw cl::Error(error, failed_call); });
  s_->finish_small_reads();
  s_->pass_io_queue.assign(b.io_queue.begin(), b.io_queue.end());
  s_->kernel.setArg(10, cl_uint{0});
  s_->ring_chunks.clear();
  s_->changes_applied = true;
  s_->ring_came_back = ring_comes_back;
  // The parts overlap: each is its own time, and together they exceed the
  // wall. The host's wait and apply after the enqueues overlap the uploads.
  timings.upload_ms += event_ms[0];
  timings.kernel_ms += event_ms[1];
  timings.readback_ms += event_ms[2] + ms_since(t0);
}

void OpenClRunner::launch(uint32_t iterations, std::array<uint32_t, stats::WORDS>& st, DispatchBuffers& b,
                          DispatchTimings& timings) {
  const auto drain = s_->drain_on_error();
  auto t0 = std::chrono::steady_clock::now();
  // Not waited for: the queue is in order, and `st` and the IO queue stay
  // untouched until the read below (or, in a pipelined pass, the one behind
  // its last chunk).
  cl_call("launch", [&] {
    s_->queue.enqueueWriteBuffer(s_->io_queue, CL_FALSE, 0, b.io_queue.size(), b.io_queue.data());
    s_->queue.enqueueWriteBuffer(s_->stats, CL_FALSE, 0, st.size() * 4, st.data());
    return 0;
  });
  timings.transfer_ms += ms_since(t0);
  // Each pass is a kernel of its own (a pass's counters land at its end).
  // Passes are enqueued in batches of about kSliceMs, each waited for, so
  // that a stop request ends a long persistent launch promptly: the first
  // batch is one pass and its time sizes the rest.
  constexpr double kSliceMs = 20;
  if (s_->slot_count > 0) {
    cl_call("kernel arguments", [&] {
      cl::Kernel& k = s_->kernel;
      k.setArg(0, s_->control);
      k.setArg(1, static_cast<cl_uint>(b.control.size() / 4));
      k.setArg(2, s_->ring);
      k.setArg(3, static_cast<cl_uint>(s_->slot_count));
      k.setArg(4, s_->debug_log);
      k.setArg(5, static_cast<cl_uint>(b.debug_log.size() / 4));
      k.setArg(6, s_->io_queue);
      k.setArg(7, static_cast<cl_uint>(b.io_queue.size() / p::io::IO_SLOT_BYTES));
      k.setArg(8, s_->stats);
      k.setArg(9, s_->changes);
      k.setArg(10, cl_uint{0});
      k.setArg(11, static_cast<cl_uint>((uint64_t{s_->slot_count} + s_->workgroup_size - 1) / s_->workgroup_size));
      return 0;
    });
  }
  const uint64_t wg = s_->workgroup_size;
  const uint64_t global = (uint64_t{s_->slot_count} + wg - 1) / wg * wg;
  uint32_t batch = 1;
  uint32_t passes = 0;
  if (!s_->ring_chunks.empty()) {
    if (s_->launches == 0 && iterations == 1 && s_->slot_count > 0) {
      pipeline_first_pass(b, st, timings);
      passes = 1;
    } else {  // not the one-pass launch begin() expected: the ring goes up before the launch
      s_->finish_ring_chunks();
    }
  }
  ++s_->launches;
  for (; s_->slot_count > 0 && passes < iterations;) {
    if (s_->cancel.stop_requested())
      throw Error::cancelled("the dispatch was stopped after " + std::to_string(passes) + " of " +
                             std::to_string(iterations) + " passes of a launch");
    const uint32_t n = std::min(batch, iterations - passes);
    cl::Event first, last;
    cl_call("kernel", [&] {
      for (uint32_t i = 0; i < n; ++i)
        s_->queue.enqueueNDRangeKernel(s_->kernel, cl::NullRange, cl::NDRange(global), cl::NDRange(wg), nullptr,
                                       i == 0 ? &first : i + 1 == n ? &last : nullptr);
      (n == 1 ? first : last).wait();
      // Profiling times exist once an event is complete; a later command's
      // completion does not mark an earlier one on every driver.
      if (n > 1) first.wait();
      return 0;
    });
    const double ms =
        static_cast<double>((n == 1 ? first : last).getProfilingInfo<CL_PROFILING_COMMAND_END>() -
                            first.getProfilingInfo<CL_PROFILING_COMMAND_START>()) /
        1e6;
    timings.kernel_ms += ms;
    passes += n;
    const double per_pass = std::max(ms / n, 1e-3);
    batch = static_cast<uint32_t>(std::clamp(kSliceMs / per_pass, 1.0, static_cast<double>(iterations)));
  }
  if (s_->read_behind_pass()) return;
  t0 = std::chrono::steady_clock::now();
  cl_call("readback", [&] {
    s_->read_small(State::kIoQueue, s_->io_queue, b.io_queue);
    s_->read_small(State::kStats, s_->stats, stats_bytes(st), CL_TRUE);
    return 0;
  });
  s_->finish_small_reads();
  timings.transfer_ms += ms_since(t0);
}

void OpenClRunner::abandon() noexcept {
  s_->drain();
  s_->ring_came_back = false;
}

void OpenClRunner::set_cancel(std::stop_token token) { s_->cancel = std::move(token); }

std::optional<TransferRates> OpenClRunner::measure_bus(size_t bytes) {
  return cl_call("bus bandwidth", [&] { return measure_pinned_bandwidth(s_->context, s_->queue, bytes); });
}

std::pair<uint64_t, uint64_t> OpenClRunner::bytes_moved(const BufferSizes& b) {
  // Up: every buffer, and per launch the IO queue and the stats words; down:
  // the change words, control, debug log, IO queue and stats.
  const uint64_t small = b.io_queue + stats::WORDS * 4;
  return {b.control + b.ring + b.debug_log + small, b.slot_count() * 2 + b.control + b.debug_log + small};
}

void OpenClRunner::begin_guarded(DispatchBuffers& b) {
  cl_call("guarded buffer upload", [&] {
    // Sub-buffer origins must be aligned to the device's base address alignment.
    const uint64_t align =
        std::max<uint64_t>(s_->device.device.getInfo<CL_DEVICE_MEM_BASE_ADDR_ALIGN>() / 8, 64);
    auto round = [&](uint64_t n) { return (n + align - 1) / align * align; };
    const uint64_t guard = round(s_->guard_bytes);
    std::array<std::pair<const char*, Bytes*>, 4> bufs = {
        {{"control", &b.control}, {"ring", &b.ring}, {"debug_log", &b.debug_log}, {"io_queue", &b.io_queue}}};
    s_->regions.clear();
    uint64_t at = guard;
    for (auto& [name, bytes] : bufs) {
      s_->regions.push_back({name, at, bytes->size()});
      at += round(std::max<uint64_t>(bytes->size(), 64)) + guard;
    }
    s_->regions.push_back({"stats", at, stats::WORDS * 4});
    at += round(stats::WORDS * 4) + guard;
    s_->arena_size = at;
    s_->arena = cl::Buffer(s_->context, CL_MEM_READ_WRITE, at);
    s_->queue.enqueueFillBuffer(s_->arena, kGuardPattern, 0, at);
    auto sub = [&](const State::Region& r) {
      cl_buffer_region region{r.offset, std::max<uint64_t>(r.size, 64)};
      return s_->arena.createSubBuffer(CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, &region);
    };
    for (size_t i = 0; i < bufs.size(); ++i)
      if (!bufs[i].second->empty())
        s_->queue.enqueueWriteBuffer(s_->arena, CL_TRUE, s_->regions[i].offset, bufs[i].second->size(),
                                     bufs[i].second->data());
    s_->control = sub(s_->regions[0]);
    s_->ring = sub(s_->regions[1]);
    s_->debug_log = sub(s_->regions[2]);
    s_->io_queue = sub(s_->regions[3]);
    s_->stats = sub(s_->regions[4]);
    // The change bytes stay outside the arena: guard mode reads the whole
    // ring back to check it.
    s_->changes = cl::Buffer(s_->context, CL_MEM_READ_WRITE, std::max<size_t>(size_t{b.slot_count()} * 2, 64));
    s_->queue.enqueueFillBuffer(s_->changes, uint8_t{0xFF}, 0, std::max<size_t>(size_t{b.slot_count()} * 2, 2));
    return 0;
  });
}

void OpenClRunner::check_guards() {
  Bytes all(s_->arena_size);
  cl_call("guard readback", [&] {
    s_->queue.enqueueReadBuffer(s_->arena, CL_TRUE, 0, all.size(), all.data());
    return 0;
  });
  uint64_t at = 0;
  const char* before = "the start of the arena";
  for (const auto& r : s_->regions) {
    for (uint64_t i = at; i < r.offset; ++i)
      if (all[i] != kGuardPattern)
        throw Error::backend("the kernel wrote outside its buffers: guard byte " + std::to_string(i - at) +
                                 " after " + before + " changed",
                             "this is a kernel bug; report it with the ring");
    at = r.offset + r.size;
    before = r.name;
  }
  for (uint64_t i = at; i < all.size(); ++i)
    if (all[i] != kGuardPattern)
      throw Error::backend("the kernel wrote outside its buffers: guard byte " + std::to_string(i - at) + " after " +
                               before + " changed",
                           "this is a kernel bug; report it with the ring");
}

void OpenClRunner::end(DispatchBuffers& b, DispatchTimings& timings) {
  const auto drain = s_->drain_on_error();
  const auto t0 = std::chrono::steady_clock::now();
  s_->finish_ring_chunks();  // begun and never launched: still reading the caller's memory
  // After one overlapped launch the changes are applied and the buffers were
  // read behind its last chunk: the IO queue goes back to the device's
  // state, as a read now would leave it. After more launches all of it comes
  // back, in one wait: the queue is in order, the last read ends it (a
  // slot's last change wins, and applying a change twice is harmless).
  if (s_->read_behind_pass()) {
    std::ranges::copy(s_->pass_io_queue, b.io_queue.begin());
  } else {
    const bool whole_ring = s_->guard_bytes > 0;
    const size_t change_bytes = whole_ring ? 0 : size_t{s_->slot_count} * 2;
    uint8_t* changes = change_bytes > 0 ? change_bytes_host(change_bytes) : nullptr;
    cl_call("readback", [&] {
      s_->read_small(State::kControl, s_->control, b.control);
      s_->read_small(State::kDebugLog, s_->debug_log, b.debug_log);
      if (whole_ring && !b.ring.empty())
        s_->queue.enqueueReadBuffer(s_->ring, CL_FALSE, 0, b.ring.size(), b.ring.data());
      if (change_bytes > 0) s_->queue.enqueueReadBuffer(s_->changes, CL_FALSE, 0, change_bytes, changes);
      s_->read_small(State::kIoQueue, s_->io_queue, b.io_queue, CL_TRUE);
      return 0;
    });
    s_->finish_small_reads();
    if (whole_ring) check_guards();
    else if (changes) apply_changes(b, changes, 0, s_->slot_count);
  }
  ++s_->dispatches;
  s_->first_changes = Bytes();
  timings.readback_ms += ms_since(t0);
  timings.transfer_ms += ms_since(t0);
}

// Only a slot's status and, for LOAD_MISS, its arg2 can change in a
// dispatch: the kernel writes a change word per slot (megakernel.cl), and
// the host writes them into its copy of the ring, a 32nd of the bytes.
void OpenClRunner::apply_changes(DispatchBuffers& b, const uint8_t* change, size_t first, size_t last) {
  constexpr size_t kGrain = size_t{1} << 14;
  if (last - first < 2 * kGrain) {
    apply_changes_serial(b, change, first, last);
    return;
  }
  s_->workers().parallel_for(last - first, kGrain, [&](size_t begin, size_t end) {
    apply_changes_serial(b, change, first + begin, first + end);
  });
}

void OpenClRunner::apply_changes_serial(DispatchBuffers& b, const uint8_t* change, size_t first, size_t last) {
  uint8_t* ring = b.ring.data();
  // Slots are 64 bytes apart, so each store reads another cache line for
  // ownership: a prefetch a few slots ahead keeps several of those reads in
  // flight (an H200 host, 1M slots: 0.2-0.4 ms off the wall).
  constexpr size_t kAhead = 8;
  for (size_t i = first; i < last; ++i) {
    if (i + kAhead < last) __builtin_prefetch(ring + (i + kAhead) * p::SLOT_BYTES, 1);
    const uint16_t c = static_cast<uint16_t>(change[2 * i] | change[2 * i + 1] << 8);
    if (c == 0xFFFF) continue;
    uint8_t* slot = ring + i * p::SLOT_BYTES;
    detail::store_u32(slot + 4 * p::STATUS_WORD, c & 0x7u);
    if (c & 0x8000) detail::store_u32(slot + 4 * (p::ARG0_WORD + 2), (c >> 8) & 0x3Fu);
  }
}

}  // namespace vyre

// The four buffers of one megakernel dispatch (bindings 0..3: control, ring,
// debug log, IO queue) as one value: the defaults `vyre dispatch` starts
// from, their validation, the files of an --out-dir, and upstream's
// MegakernelResidentBuffers constructors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "vyre/control.h"
#include "vyre/output_set.h"

namespace vyre {

struct DispatchBuffers {
  Bytes control, ring, debug_log, io_queue;
  uint32_t slot_count() const { return static_cast<uint32_t>(ring.size() / protocol::SLOT_BYTES); }
};

// The buffers' sizes alone: what a transfer estimate needs.
struct BufferSizes {
  uint64_t control = 0, ring = 0, debug_log = 0, io_queue = 0;
  uint64_t slot_count() const { return ring / protocol::SLOT_BYTES; }
  static BufferSizes of(const DispatchBuffers& b) {
    return {b.control.size(), b.ring.size(), b.debug_log.size(), b.io_queue.size()};
  }
};

// What a dispatch starts from for buffers a user did not give: control with
// 1 tenant and 16 observables, a 64-record debug log, a 64-slot IO queue.
inline constexpr uint32_t kDefaultTenants = 1;
inline constexpr uint32_t kDefaultObservables = 16;
DispatchBuffers default_dispatch_buffers(Bytes ring);

// Rejects buffers of the wrong size or shape before anything runs, with the
// rules of check_buffer (buffer_kind.h); each error names its buffer by
// `names` (file names, when the buffers came from files).
struct BufferNames {
  std::string control = "control", ring = "ring", debug_log = "debug_log", io_queue = "io_queue";
};
void validate_dispatch_buffers(const DispatchBuffers& buffers, const BufferNames& names = {});

// Four buffers that passed validate_dispatch_buffers. A dispatch runs only
// these, so its buffers are checked once, where they come in (files, a
// server's request, a replay's starting point), never again on the way. A
// runner may change their bytes, never their sizes.
class CheckedBuffers {
 public:
  explicit CheckedBuffers(DispatchBuffers buffers, const BufferNames& names = {});
  const DispatchBuffers& get() const { return buffers_; }
  DispatchBuffers& bytes() { return buffers_; }
  DispatchBuffers take() && { return std::move(buffers_); }

 private:
  DispatchBuffers buffers_;
};

// The files of an --out-dir, in binding order.
inline constexpr std::array<std::string_view, 4> kBufferFileNames = {"control.bin", "ring.bin", "debug_log.bin",
                                                                     "io_queue.bin"};

// The four files of an --out-dir (kBufferFileNames): declared in an OutputSet before the run, given their bytes
// after it, and written with the command's other outputs.
class BufferDirectory {
 public:
  BufferDirectory(OutputSet& outputs, const std::string& dir, const std::string& option);
  // The views must stay valid until the set is committed.
  void set(OutputSet& outputs, const DispatchBuffers& buffers) const;

 private:
  std::array<size_t, 4> handles_{};
};

// Upstream's MegakernelResidentBuffers (new, reset, from_parts): its own
// defaults (64 debug records, 64 IO slots, the default priority offsets)
// and its own validation and messages, kept for byte parity with upstream.
DispatchBuffers resident_buffers(uint32_t slot_count, uint32_t tenant_count, uint32_t observable_slots);
// Re-encodes every buffer in place for `slot_count` slots.
void reset_resident_buffers(DispatchBuffers& buffers, uint32_t slot_count, uint32_t tenant_count,
                            uint32_t observable_slots);
DispatchBuffers resident_buffers_from_parts(uint32_t slot_count, Bytes control, Bytes ring, Bytes debug_log,
                                            Bytes io_queue);
// Upstream validate_debug_log_bytes: exactly the default 64-record size.
void validate_resident_debug_log_bytes(ByteSpan debug_log);

}  // namespace vyre

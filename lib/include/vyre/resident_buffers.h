// The four buffers of one megakernel dispatch, built with upstream's
// MegakernelResidentBuffers defaults (64 debug records, 64 IO slots, default
// priority offsets) or adopted from existing bytes after validation.
#pragma once

#include <cstdint>

#include "vyre/control.h"

namespace vyre {

struct ResidentBuffers {
  Bytes control, ring, debug_log, io_queue;
  uint32_t slot_count = 0;

  static ResidentBuffers create(uint32_t slot_count, uint32_t tenant_count, uint32_t observable_slots);
  static ResidentBuffers from_parts(uint32_t slot_count, Bytes control, Bytes ring, Bytes debug_log, Bytes io_queue);
  // Re-encodes every buffer in place for the same slot count.
  void reset(uint32_t tenant_count, uint32_t observable_slots);
};

// Upstream validate_debug_log_bytes: exactly the default 64-record size.
void validate_resident_debug_log_bytes(ByteSpan debug_log);

}  // namespace vyre

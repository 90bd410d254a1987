#include "vyre/resident_buffers.h"

#include <string>

#include "vyre/debug_log.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "vyre/ring.h"

namespace vyre {

namespace {
template <typename F>
void as_pipeline(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw e.to_pipeline();
  }
}
}  // namespace

ResidentBuffers ResidentBuffers::create(uint32_t slot_count, uint32_t tenant_count, uint32_t observable_slots) {
  if (!control_byte_len(observable_slots))
    throw Error::backend("megakernel resident control byte length overflowed usize",
                         "shard observable resident buffers before allocation.");
  if (!ring_byte_len(slot_count))
    throw Error::backend("megakernel resident ring byte length overflowed usize",
                         "shard resident rings before allocation.");
  ResidentBuffers b;
  b.slot_count = slot_count;
  b.reset(tenant_count, observable_slots);
  return b;
}

void ResidentBuffers::reset(uint32_t tenant_count, uint32_t observable_slots) {
  as_pipeline([&] { encode_control_into(false, tenant_count, observable_slots, control); });
  write_default_priority_offsets(control, slot_count);
  as_pipeline([&] { encode_empty_ring_into(slot_count, ring); });
  as_pipeline([&] { encode_empty_debug_log_into(protocol::debug::RECORD_CAPACITY, debug_log); });
  encode_empty_io_queue_into(protocol::io::IO_SLOT_COUNT, io_queue);
}

void validate_resident_debug_log_bytes(ByteSpan debug_log) {
  const uint64_t expected = *debug_log_byte_len(protocol::debug::RECORD_CAPACITY);
  if (debug_log.size() != expected)
    throw Error::backend("megakernel debug-log buffer has " + std::to_string(debug_log.size()) +
                         " bytes, expected exactly " + std::to_string(expected) + " bytes for " +
                         std::to_string(protocol::debug::RECORD_CAPACITY) +
                             " PRINTF records",
                         "build it with Megakernel::encode_empty_debug_log(protocol::debug::RECORD_CAPACITY).");
}

ResidentBuffers ResidentBuffers::from_parts(uint32_t slot_count, Bytes control, Bytes ring, Bytes debug_log,
                                            Bytes io_queue) {
  validate_control_bytes(control);
  validate_resident_debug_log_bytes(debug_log);
  validate_io_queue_bytes(io_queue);
  const auto expected = ring_byte_len(slot_count);
  if (!expected)
    throw Error::backend("megakernel resident ring byte length overflowed usize",
                         "shard resident rings before allocation.");
  if (ring.size() != *expected)
    throw Error::backend("megakernel resident ring has " + std::to_string(ring.size()) + " bytes, expected " +
                         std::to_string(*expected) +
                         ". Fix: build resident rings with the same slot_count as the Megakernel handle.");
  return ResidentBuffers{std::move(control), std::move(ring), std::move(debug_log), std::move(io_queue), slot_count};
}

}  // namespace vyre

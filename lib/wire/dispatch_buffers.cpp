#include "vyre/dispatch_buffers.h"

#include <string>

#include "vyre/buffer_kind.h"
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

DispatchBuffers default_dispatch_buffers(Bytes ring) {
  DispatchBuffers b;
  b.control = encode_control(false, kDefaultTenants, kDefaultObservables);
  b.ring = std::move(ring);
  b.debug_log = encode_empty_debug_log(protocol::debug::RECORD_CAPACITY);
  b.io_queue = encode_empty_io_queue(protocol::io::IO_SLOT_COUNT);
  return b;
}

void validate_dispatch_buffers(const DispatchBuffers& b, const BufferNames& names) {
  check_buffer(BufferKind::Control, b.control, names.control);
  check_buffer(BufferKind::Ring, b.ring, names.ring);
  check_buffer(BufferKind::DebugLog, b.debug_log, names.debug_log);
  check_buffer(BufferKind::IoQueue, b.io_queue, names.io_queue);
}

CheckedBuffers::CheckedBuffers(DispatchBuffers buffers, const BufferNames& names) : buffers_(std::move(buffers)) {
  validate_dispatch_buffers(buffers_, names);
}

BufferDirectory::BufferDirectory(OutputSet& outputs, const std::string& dir, const std::string& option) {
  const std::string prefix = outputs.add_directory(dir, option);
  for (size_t i = 0; i < handles_.size(); ++i)
    handles_[i] = outputs.add(prefix + std::string(kBufferFileNames[i]), OutputKind::Binary, option);
}

void BufferDirectory::set(OutputSet& outputs, const DispatchBuffers& b) const {
  outputs.set(handles_[0], b.control);
  outputs.set(handles_[1], b.ring);
  outputs.set(handles_[2], b.debug_log);
  outputs.set(handles_[3], b.io_queue);
}

DispatchBuffers resident_buffers(uint32_t slot_count, uint32_t tenant_count, uint32_t observable_slots) {
  if (!control_byte_len(observable_slots))
    throw Error::backend("megakernel resident control byte length overflowed usize",
                         "shard observable resident buffers before allocation.");
  if (!ring_byte_len(slot_count))
    throw Error::backend("megakernel resident ring byte length overflowed usize",
                         "shard resident rings before allocation.");
  DispatchBuffers b;
  reset_resident_buffers(b, slot_count, tenant_count, observable_slots);
  return b;
}

void reset_resident_buffers(DispatchBuffers& b, uint32_t slot_count, uint32_t tenant_count, uint32_t observable_slots) {
  as_pipeline([&] { encode_control_into(false, tenant_count, observable_slots, b.control); });
  write_default_priority_offsets(b.control, slot_count);
  as_pipeline([&] { encode_empty_ring_into(slot_count, b.ring); });
  as_pipeline([&] { encode_empty_debug_log_into(protocol::debug::RECORD_CAPACITY, b.debug_log); });
  encode_empty_io_queue_into(protocol::io::IO_SLOT_COUNT, b.io_queue);
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

DispatchBuffers resident_buffers_from_parts(uint32_t slot_count, Bytes control, Bytes ring, Bytes debug_log,
                                            Bytes io_queue) {
  validate_control_bytes(control);
  validate_resident_debug_log_bytes(debug_log);
  validate_io_queue_bytes(io_queue);
  const auto expected = ring_byte_len(slot_count);
  if (!expected)
    throw Error::backend("megakernel resident ring byte length overflowed usize",
                         "shard resident rings before allocation.");
  if (ring.size() != *expected)
    throw Error::backend(
        "megakernel resident ring has " + std::to_string(ring.size()) + " bytes, expected " + std::to_string(*expected),
        "build resident rings with the same slot_count as the Megakernel handle.");
  return DispatchBuffers{std::move(control), std::move(ring), std::move(debug_log), std::move(io_queue)};
}

}  // namespace vyre

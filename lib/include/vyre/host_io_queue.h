// The host-owned IO queue object upstream calls MegakernelIoQueue: a queue
// of its own bytes that the host publishes requests into and reads
// completions from. Kept for byte parity with upstream's API (the golden
// vectors test it); the tools' host pump works on the dispatch's own queue
// buffer (io_queue.h).
#pragma once

#include <cstdint>
#include <optional>

#include "vyre/io_queue.h"

namespace vyre {

// The host-side queue object (upstream MegakernelIoQueue).
class IoQueue {
 public:
  explicit IoQueue(uint32_t slot_count);
  // Adopts an existing queue state (validated like validate_io_queue_bytes).
  static IoQueue adopt(Bytes bytes);
  uint32_t slot_count() const { return slot_count_; }
  ByteSpan bytes() const { return bytes_; }
  MutableByteSpan mutable_bytes() { return bytes_; }
  void publish_slot(uint32_t queue_slot, uint32_t mapped_slot, uint32_t byte_count, uint32_t tag);
  void submit_dma_read(uint32_t queue_slot, uint32_t src_handle, uint32_t dst_handle, uint32_t byte_count,
                       uint32_t tag);
  std::optional<IoCompletion> completion(uint32_t queue_slot) const;
  bool is_recycled(uint32_t queue_slot) const;

 private:
  uint32_t word(uint32_t slot, uint32_t w) const;
  void write_read_request(uint32_t slot, uint32_t src, uint32_t dst, uint32_t byte_count, uint32_t tag);
  Bytes bytes_;
  uint32_t slot_count_;
};

}  // namespace vyre

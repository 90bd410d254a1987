#include "vyre/slot_publish.h"
#include "vyre/host_io_queue.h"

#include "vyre/detail/words.h"
#include "vyre/error.h"

namespace vyre {

namespace io = protocol::io;
namespace iw = protocol::io::word;

IoQueue::IoQueue(uint32_t slot_count) : slot_count_(slot_count) {
  if (slot_count == 0) throw Error::queue_full("MegakernelIoQueue requires at least one slot");
  if (slot_count > io::IO_SLOT_COUNT)
    throw Error::queue_full(
        "MegakernelIoQueue exceeds the compiled IO poll window of 64 slots; enlarge IO_SLOT_COUNT and rebuild the "
        "megakernel before publishing more than 64 completions");
  bytes_.assign(uint64_t{slot_count} * io::IO_SLOT_BYTES, 0);
}

IoQueue IoQueue::adopt(Bytes bytes) {
  const uint32_t slots = validate_io_queue_bytes(bytes);
  IoQueue q(slots == 0 ? 1 : slots);
  q.bytes_ = std::move(bytes);
  q.slot_count_ = slots;
  return q;
}

uint32_t IoQueue::word(uint32_t slot, uint32_t w) const {
  return detail::word_at(bytes_, uint64_t{slot} * io::IO_SLOT_WORDS + w);
}

void IoQueue::write_read_request(uint32_t slot, uint32_t src, uint32_t dst, uint32_t byte_count, uint32_t tag) {
  auto put = [&](uint32_t w, uint32_t v) { detail::write_word(bytes_, uint64_t{slot} * io::IO_SLOT_WORDS + w, v); };
  put(iw::OP_TYPE, io::op::READ);
  put(iw::SRC_HANDLE, src);
  put(iw::DST_HANDLE, dst);
  put(iw::OFFSET_LO, 0);
  put(iw::OFFSET_HI, 0);
  put(iw::BYTE_COUNT, byte_count);
  put(iw::TAG, tag);
  put(iw::STATUS, protocol::slot::PUBLISHED);  // last: the publish barrier
}

void IoQueue::publish_slot(uint32_t queue_slot, uint32_t mapped_slot, uint32_t byte_count, uint32_t tag) {
  if (queue_slot >= slot_count_)
    throw Error::queue_full(
        "io_queue slot exceeds MegakernelIoQueue::slot_count; enlarge the queue or publish into a valid slot id");
  if (word(queue_slot, iw::STATUS) != protocol::slot::EMPTY)
    throw Error::queue_full("io_queue slot still in flight; wait for the GPU to recycle it before publishing again");
  write_read_request(queue_slot, 0, mapped_slot, byte_count, tag);
}

void IoQueue::submit_dma_read(uint32_t queue_slot, uint32_t src_handle, uint32_t dst_handle, uint32_t byte_count,
                              uint32_t tag) {
  if (queue_slot >= slot_count_)
    throw Error::queue_full(
        "io_queue slot exceeds MegakernelIoQueue::slot_count; enlarge the queue or submit into a valid slot id");
  if (word(queue_slot, iw::STATUS) != protocol::slot::EMPTY)
    throw Error::queue_full("io_queue slot still in flight; wait for completion before submitting a new request");
  write_read_request(queue_slot, src_handle, dst_handle, byte_count, tag);
}

std::optional<IoCompletion> IoQueue::completion(uint32_t queue_slot) const {
  if (queue_slot >= slot_count_ || word(queue_slot, iw::STATUS) == protocol::slot::EMPTY) return std::nullopt;
  return IoCompletion{queue_slot, word(queue_slot, iw::DST_HANDLE), word(queue_slot, iw::BYTE_COUNT),
                      word(queue_slot, iw::TAG)};
}

bool IoQueue::is_recycled(uint32_t queue_slot) const {
  return queue_slot < slot_count_ && word(queue_slot, iw::STATUS) == protocol::slot::EMPTY;
}

}  // namespace vyre

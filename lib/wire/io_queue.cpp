#include "vyre/io_queue.h"

#include <string>

#include "vyre/detail/words.h"
#include "vyre/error.h"

namespace vyre {

namespace io = protocol::io;
namespace iw = protocol::io::word;

namespace {

constexpr const char* kNotClaimedFix =
    "io_queue completion requires a CLAIMED request; poll with claim_io_requests_into before completing so the same "
    "DMA is not completed without ownership";

uint32_t qword(ByteSpan q, uint32_t slot, uint32_t w) { return detail::word_at(q, uint64_t{slot} * io::IO_SLOT_WORDS + w); }

IoRequest request_at(ByteSpan q, uint32_t slot) {
  return IoRequest{slot,
                   qword(q, slot, iw::OP_TYPE),
                   qword(q, slot, iw::SRC_HANDLE),
                   qword(q, slot, iw::DST_HANDLE),
                   (uint64_t{qword(q, slot, iw::OFFSET_HI)} << 32) | qword(q, slot, iw::OFFSET_LO),
                   qword(q, slot, iw::BYTE_COUNT),
                   qword(q, slot, iw::TAG)};
}

}  // namespace

Bytes encode_empty_io_queue(uint32_t slot_count) {
  Bytes out;
  encode_empty_io_queue_into(slot_count, out);
  return out;
}

void encode_empty_io_queue_into(uint32_t slot_count, Bytes& dst) {
  if (slot_count == 0) throw Error::queue_full("io_queue requires at least one slot");
  if (slot_count > io::IO_SLOT_COUNT)
    throw Error::queue_full(
        "io_queue exceeds the compiled IO poll window of 64 slots; enlarge IO_SLOT_COUNT and rebuild the megakernel "
        "before encoding a larger queue");
  dst.assign(uint64_t{slot_count} * io::IO_SLOT_BYTES, 0);
}

uint32_t validate_io_queue_bytes(ByteSpan q) {
  const uint64_t len = q.size();
  if (len % 4 != 0)
    throw Error::backend("io_queue has " + std::to_string(len) + " bytes, which is not 4-byte aligned",
                         "pass a whole u32 queue buffer.");
  if (len % io::IO_SLOT_BYTES != 0)
    throw Error::backend("io_queue has " + std::to_string(len) + " bytes, which is not a multiple of slot size " +
                             std::to_string(io::IO_SLOT_BYTES),
                         "pass whole IO slots.");
  if (len / io::IO_SLOT_BYTES > io::IO_SLOT_COUNT)
    throw Error::queue_full(
        "io_queue byte view exceeds the compiled IO poll window of 64 slots; split the queue or rebuild the megakernel "
        "with a larger IO_SLOT_COUNT");
  return static_cast<uint32_t>(len / io::IO_SLOT_BYTES);
}

std::vector<IoRequest> poll_io_requests(ByteSpan q) {
  const uint32_t slots = validate_io_queue_bytes(q);
  std::vector<IoRequest> out;
  for (uint32_t s = 0; s < slots; ++s)
    if (qword(q, s, iw::STATUS) == protocol::slot::PUBLISHED) out.push_back(request_at(q, s));
  return out;
}

std::vector<IoRequest> claim_io_requests(MutableByteSpan q) {
  const uint32_t slots = validate_io_queue_bytes(q);
  std::vector<IoRequest> out;
  for (uint32_t s = 0; s < slots; ++s) {
    if (qword(q, s, iw::STATUS) != protocol::slot::PUBLISHED) continue;
    detail::write_word(q, uint64_t{s} * io::IO_SLOT_WORDS + iw::STATUS, protocol::slot::CLAIMED);
    out.push_back(request_at(q, s));
  }
  return out;
}

void complete_io_request(MutableByteSpan q, uint32_t slot_idx, bool success) {
  const std::pair<uint32_t, bool> one[1] = {{slot_idx, success}};
  complete_io_requests_batch(q, one);
}

void complete_io_requests_batch(MutableByteSpan q, std::span<const std::pair<uint32_t, bool>> completions) {
  const uint32_t slots = validate_io_queue_bytes(q);
  for (const auto& [slot, success] : completions) {
    if (slot >= slots)
      throw Error::queue_full("io_queue completion slot exceeds queue length; complete a valid slot id");
    if (qword(q, slot, iw::STATUS) != protocol::slot::CLAIMED) throw Error::queue_full(kNotClaimedFix);
  }
  for (const auto& [slot, success] : completions)
    detail::write_word(q, uint64_t{slot} * io::IO_SLOT_WORDS + iw::STATUS,
                       success ? io::status::OK : io::status::ERROR);
}

IoQueueView decode_io_queue(ByteSpan q) {
  const uint32_t slots = validate_io_queue_bytes(q);
  IoQueueView v;
  v.byte_len = q.size();
  for (uint32_t s = 0; s < slots; ++s) {
    const IoRequest r = request_at(q, s);
    v.slots.push_back({s, r.op_type, r.src_handle, r.dst_handle, r.offset, r.byte_count, qword(q, s, iw::STATUS), r.tag});
  }
  return v;
}

}  // namespace vyre

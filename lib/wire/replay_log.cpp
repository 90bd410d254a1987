#include "vyre/replay_log.h"

#include <cstdio>
#include <string>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/labels.h"

namespace vyre {

namespace rp = protocol::replay;

namespace {

void validate_capacity(uint64_t capacity, const std::string& where) {
  if (capacity == 0)
    throw Error::invalid_input(where, "replay log capacity must be > 0", "construct the log with at least one slot");
  if (capacity > rp::MAX_REPLAY_RECORDS)
    throw Error::invalid_input(where,
                               "replay log capacity " + std::to_string(capacity) + " exceeds max " +
                                   std::to_string(rp::MAX_REPLAY_RECORDS),
                               "shard replay into smaller logs");
}

uint64_t record_offset(uint64_t k) { return rp::HEADER_BYTES + k * rp::RECORD_BYTES; }

}  // namespace

ReplayLog ReplayLog::create(uint64_t capacity) {
  validate_capacity(capacity, "replay log");
  ReplayLog log;
  log.capacity_ = capacity;
  log.bytes_.assign(record_offset(capacity), 0);
  std::copy(rp::LOG_MAGIC.begin(), rp::LOG_MAGIC.end(), log.bytes_.begin());
  detail::store_u32(log.bytes_.data() + 8, rp::LOG_VERSION);
  detail::store_u32(log.bytes_.data() + 12, 0);
  detail::store_u64(log.bytes_.data() + rp::CAPACITY_OFFSET, capacity);
  detail::store_u64(log.bytes_.data() + rp::NEXT_SLOT_OFFSET, 0);
  return log;
}

ReplayLog ReplayLog::parse(ByteSpan bytes) {
  const std::string fix = "regenerate the log; VRRL format may have changed";
  if (bytes.size() < rp::HEADER_BYTES)
    throw Error::invalid_input("replay log, byte offset 0",
                               "replay log has " + std::to_string(bytes.size()) + " bytes, shorter than the " +
                                   std::to_string(rp::HEADER_BYTES) + "-byte VRRL0001 header",
                               "pass a complete replay log written by `vyre dispatch --record` or RingLog");
  if (!std::equal(rp::LOG_MAGIC.begin(), rp::LOG_MAGIC.end(), bytes.begin()))
    throw Error::invalid_input("replay log, byte offset 0", "header magic is not VRRL0001 (not a replay log)", fix);
  const uint32_t version = detail::load_u32(bytes.data() + 8);
  if (version != rp::LOG_VERSION)
    throw Error::invalid_input("replay log, byte offset 8",
                               "header version " + std::to_string(version) + ", expected " +
                                   std::to_string(rp::LOG_VERSION),
                               fix);
  ReplayLog log;
  log.flags_ = detail::load_u32(bytes.data() + 12);
  log.capacity_ = detail::load_u64(bytes.data() + rp::CAPACITY_OFFSET);
  validate_capacity(log.capacity_, "replay log, byte offset 16");
  log.raw_next_slot_ = detail::load_u64(bytes.data() + rp::NEXT_SLOT_OFFSET);
  log.next_slot_ = log.raw_next_slot_ % log.capacity_;
  const uint64_t need = record_offset(log.capacity_);
  if (bytes.size() < need)
    throw Error::invalid_input("replay log, byte offset " + std::to_string(bytes.size()),
                               "replay log is truncated: " + std::to_string(bytes.size()) + " bytes, capacity " +
                                   std::to_string(log.capacity_) + " needs " + std::to_string(need),
                               "pass the complete log file");
  log.bytes_.assign(bytes.begin(), bytes.begin() + need);
  return log;
}

void ReplayLog::append(const RecordedSlot& s) {
  uint8_t* p = bytes_.data() + record_offset(next_slot_);
  std::fill_n(p, rp::RECORD_BYTES, uint8_t{0});
  detail::store_u32(p + 0, rp::RECORD_MAGIC);
  detail::store_u64(p + 4, s.timestamp_ns);
  detail::store_u32(p + 12, s.slot_idx);
  detail::store_u32(p + 16, s.tenant_id);
  detail::store_u32(p + 20, s.opcode);
  for (uint32_t i = 0; i < rp::RECORD_ARGS; ++i) detail::store_u32(p + 24 + 4 * i, s.args[i]);
  detail::store_u32(p + 40, s.epoch);
  next_slot_ = (next_slot_ + 1) % capacity_;
  raw_next_slot_ = next_slot_;
  detail::store_u64(bytes_.data() + rp::NEXT_SLOT_OFFSET, next_slot_);
}

std::vector<RecordedSlot> ReplayLog::records() const {
  std::vector<RecordedSlot> out;
  for (uint64_t step = 0; step < capacity_; ++step) {
    const uint64_t k = (next_slot_ + step) % capacity_;
    const uint8_t* p = bytes_.data() + record_offset(k);
    const uint32_t magic = detail::load_u32(p);
    if (magic == 0) continue;  // never written
    if (magic != rp::RECORD_MAGIC)
      throw Error::invalid_input("replay log, byte offset " + std::to_string(record_offset(k)),
                                 "record " + std::to_string(k) + " has magic " + hex(magic, 0) +
                                     ", neither 0 (unused) nor 0xDEADBEEF",
                                 "regenerate the log; the record area is corrupt");
    RecordedSlot s;
    s.timestamp_ns = detail::load_u64(p + 4);
    s.slot_idx = detail::load_u32(p + 12);
    s.tenant_id = detail::load_u32(p + 16);
    s.opcode = detail::load_u32(p + 20);
    for (uint32_t i = 0; i < rp::RECORD_ARGS; ++i) s.args[i] = detail::load_u32(p + 24 + 4 * i);
    s.epoch = detail::load_u32(p + 40);
    out.push_back(s);
  }
  return out;
}

}  // namespace vyre

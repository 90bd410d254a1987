#include "vyre/debug_log.h"

#include "vyre/detail/words.h"
#include "vyre/error.h"

namespace vyre {

namespace dbg = protocol::debug;

namespace {

void validate_header(ByteSpan bytes) {
  if (bytes.size() % 4 != 0)
    throw Error::misaligned_byte_length("debug_log", bytes.size(),
                                        "pass whole u32 protocol words; do not decode partial DMA/readback buffers");
  if (bytes.size() < 4)
    throw Error::missing_word("debug_log", dbg::CURSOR_WORD, bytes.size(),
                              "decode only buffers produced by the matching megakernel protocol encoder");
}

DebugRecord record_at(ByteSpan bytes, uint64_t i) {
  const uint64_t w = dbg::RECORDS_BASE + i * dbg::RECORD_WORDS;
  return DebugRecord{detail::word_at(bytes, w),
                     {detail::word_at(bytes, w + 1), detail::word_at(bytes, w + 2), detail::word_at(bytes, w + 3)}};
}

}  // namespace

std::optional<uint64_t> debug_log_byte_len(uint32_t record_capacity) {
  if (record_capacity > protocol::MAX_DEBUG_RECORDS) return std::nullopt;
  const uint64_t words = uint64_t{record_capacity} * dbg::RECORD_WORDS + dbg::RECORDS_BASE;
  if (words > 0xFFFFFFFFull) return std::nullopt;
  return words * 4;
}

Bytes encode_empty_debug_log(uint32_t record_capacity) {
  Bytes out;
  encode_empty_debug_log_into(record_capacity, out);
  return out;
}

void encode_empty_debug_log_into(uint32_t record_capacity, Bytes& dst) {
  if (record_capacity > protocol::MAX_ENCODED_DEBUG_RECORDS)
    throw Error::byte_length_overflow("debug_log",
                                      "reduce debug-log record_capacity to the megakernel allocation cap before encoding");
  dst.assign(*debug_log_byte_len(record_capacity), 0);
}

std::vector<DebugRecord> read_debug_log(ByteSpan bytes) {
  validate_header(bytes);
  const uint32_t cursor = detail::word_at(bytes, dbg::CURSOR_WORD);
  const uint64_t capacity_words = bytes.size() / 4 - dbg::RECORDS_BASE;
  if (cursor > capacity_words)
    throw Error::missing_word("debug_log", uint64_t{dbg::RECORDS_BASE} + cursor, bytes.size(),
                              "debug-log cursor must stay within the encoded record capacity");
  if (cursor % dbg::RECORD_WORDS != 0)
    throw Error::missing_word("debug_log", uint64_t{dbg::RECORDS_BASE} + cursor, bytes.size(),
                              "debug-log cursor must advance in whole PRINTF records");
  std::vector<DebugRecord> out;
  out.reserve(cursor / dbg::RECORD_WORDS);
  for (uint64_t i = 0; i < cursor / dbg::RECORD_WORDS; ++i) out.push_back(record_at(bytes, i));
  return out;
}

DebugLogView decode_debug_log(ByteSpan bytes) {
  validate_header(bytes);
  DebugLogView v;
  v.byte_len = bytes.size();
  v.cursor = detail::word_at(bytes, dbg::CURSOR_WORD);
  const uint64_t capacity_words = bytes.size() / 4 - dbg::RECORDS_BASE;
  v.capacity_records = capacity_words / dbg::RECORD_WORDS;
  v.partial_record = v.cursor % dbg::RECORD_WORDS != 0;
  // The kernel reserves RECORD_WORDS per PRINTF and writes the record only
  // when it fits, so reservations past the capacity are the dropped ones.
  const uint64_t reserved = v.cursor / dbg::RECORD_WORDS;
  const uint64_t stored = std::min<uint64_t>(reserved, v.capacity_records);
  v.dropped = reserved - stored;
  v.records.reserve(stored);
  for (uint64_t i = 0; i < stored; ++i) v.records.push_back(record_at(bytes, i));
  return v;
}

}  // namespace vyre

// Debug log (binding 2, the PRINTF channel): encoder, upstream's strict
// decoder, and a lenient decoder that keeps the records of an overflowed log
// and accounts for the dropped ones.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "vyre/control.h"

namespace vyre {

struct DebugRecord {
  uint32_t fmt_id = 0;
  // Words 1..3 of the record: the kernel writes arg1, arg2 and slot_base.
  std::array<uint32_t, 3> args{};
  // The ring slot that printed this record (slot_base / SLOT_WORDS).
  uint32_t slot() const { return args[2] / protocol::SLOT_WORDS; }
  bool operator==(const DebugRecord&) const = default;
};

std::optional<uint64_t> debug_log_byte_len(uint32_t record_capacity);
Bytes encode_empty_debug_log(uint32_t record_capacity);
void encode_empty_debug_log_into(uint32_t record_capacity, Bytes& dst);

// Upstream try_read_debug_log: fails on an overflowed or partial log.
std::vector<DebugRecord> read_debug_log(ByteSpan debug_log);

struct DebugLogView {
  uint64_t byte_len = 0;
  uint32_t cursor = 0;             // word 0, in words
  uint64_t capacity_records = 0;   // whole records the buffer holds
  uint64_t dropped = 0;            // records the kernel reserved but could not write
  bool partial_record = false;     // cursor not a multiple of RECORD_WORDS
  std::vector<DebugRecord> records;
};

// Lenient decode: the same alignment and length checks as upstream, but an
// overflowed cursor yields every stored record plus the dropped count.
DebugLogView decode_debug_log(ByteSpan debug_log);

}  // namespace vyre

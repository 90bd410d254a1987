// VRRL0001 replay log: a fixed-capacity circular log of published slots,
// read and written as bytes (the caller owns the file; see file_io.h).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "vyre/control.h"

namespace vyre {

struct RecordedSlot {
  uint64_t timestamp_ns = 0;
  uint32_t slot_idx = 0;
  uint32_t tenant_id = 0;
  uint32_t opcode = 0;
  std::array<uint32_t, protocol::replay::RECORD_ARGS> args{};
  uint32_t epoch = 0;
  bool operator==(const RecordedSlot&) const = default;
};

class ReplayLog {
 public:
  // A fresh, zeroed log (InvalidInput for capacity 0 or above the cap).
  static ReplayLog create(uint64_t capacity);
  // Validates the header and length; records are checked by records().
  static ReplayLog parse(ByteSpan bytes);

  uint64_t capacity() const { return capacity_; }
  // The write cursor, already reduced modulo capacity as upstream does.
  uint64_t next_slot() const { return next_slot_; }
  uint64_t raw_next_slot() const { return raw_next_slot_; }
  uint32_t flags() const { return flags_; }
  const Bytes& bytes() const { return bytes_; }

  // Overwrites the record at the cursor and advances it (wrapping).
  void append(const RecordedSlot& slot);
  // Live records in replay order: from the cursor, skipping unused ones.
  std::vector<RecordedSlot> records() const;

 private:
  Bytes bytes_;
  uint64_t capacity_ = 0, next_slot_ = 0, raw_next_slot_ = 0;
  uint32_t flags_ = 0;
};

}  // namespace vyre

// Which slots or records of a buffer `vyre inspect` shows and counts: a
// range of indices, statuses, opcodes and a tenant. The filters read the
// slot words straight from the bytes, so a million-slot ring is filtered
// without building its decoded view; only what is selected is decoded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vyre/buffer_kind.h"

namespace vyre {

// A half-open range of indices as the command line writes it: "A:B", "A:",
// ":B" or ":"; a negative bound counts from the end ("-10:" is the last ten).
struct IndexRange {
  std::optional<int64_t> begin, end;
};
// Throws Usage naming `option` for anything else ("--slots 5", "--slots a:b").
IndexRange parse_index_range(std::string_view text, std::string_view option);
// [first, last) within `count`, each bound clamped to 0..count as Python's
// slices are (an empty range when first >= last).
std::pair<uint64_t, uint64_t> resolve_range(const IndexRange& range, uint64_t count);

// The filters as the command line gives them, before the kind is known
// (--kind may be left out, so names are read once the kind is).
struct SelectionRequest {
  std::string slots{}, records{};         // "" when not given
  std::vector<std::string> statuses{};   // names or numbers
  std::vector<std::string> opcodes{};    // names or numbers
  std::optional<uint32_t> tenant{};
  bool all = false;  // list EMPTY slots too
};

struct Selection {
  std::optional<IndexRange> slots;    // rings and IO queues
  std::optional<IndexRange> records;  // debug logs and replay logs
  std::vector<uint32_t> statuses;     // slot status words; empty: any
  std::vector<uint32_t> opcodes;      // ring opcodes or IO ops; empty: any
  std::optional<uint32_t> tenant;     // rings only
  // Listing: EMPTY slots are left out unless `all` or a status list that
  // names EMPTY asks for them. Counts (--summary) cover every selected slot.
  bool all = false;
};

// Reads the request for `kind`: statuses by name (EMPTY .. FAULT, and OK,
// ERROR for an IO queue) or number, opcodes by name (NOP .. SHUTDOWN) or
// number (0x100 too), IO ops as READ, WRITE, FENCE or a number. Throws
// Usage for a filter the kind has not (--records on a ring, --tenant on an
// IO queue) or a word it does not know, with the words it takes.
Selection parse_selection(BufferKind kind, const SelectionRequest& request);

// The ring slots (indices, ascending) the selection picks; `listing` leaves
// EMPTY slots out as described above. Throws InvalidInput for a ring that
// is not whole slots.
std::vector<uint32_t> select_ring_slots(ByteSpan ring, const Selection& selection, bool listing);
// The same for an IO queue (its op word is tested against `opcodes`).
std::vector<uint32_t> select_io_slots(ByteSpan io_queue, const Selection& selection, bool listing);
// [first, last) of `count` records: the range, or all of them.
std::pair<uint64_t, uint64_t> resolve_records(const std::optional<IndexRange>& range, uint64_t count);

}  // namespace vyre

#include <doctest/doctest.h>

#include "vyre/buffer_selection.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "vyre/ring.h"

using namespace vyre;

namespace {
// Slot i: status i % 8, opcode i % 3, tenant i % 2.
Bytes mixed_ring(uint32_t slots) {
  Bytes ring = encode_empty_ring(slots);
  for (uint32_t i = 0; i < slots; ++i) {
    detail::write_word(ring, i * 16 + protocol::STATUS_WORD, i % 8);
    detail::write_word(ring, i * 16 + protocol::OPCODE_WORD, i % 3);
    detail::write_word(ring, i * 16 + protocol::TENANT_WORD, i % 2);
  }
  return ring;
}
Selection selection(SelectionRequest r, BufferKind kind = BufferKind::Ring) { return parse_selection(kind, r); }
}  // namespace

TEST_CASE("ranges are half-open and count from the end when negative, as Python's slices") {
  CHECK(resolve_range(parse_index_range("2:5", "--slots"), 10) == std::pair<uint64_t, uint64_t>{2, 5});
  CHECK(resolve_range(parse_index_range("-3:", "--slots"), 10) == std::pair<uint64_t, uint64_t>{7, 10});
  CHECK(resolve_range(parse_index_range(":-8", "--slots"), 10) == std::pair<uint64_t, uint64_t>{0, 2});
  CHECK(resolve_range(parse_index_range(":", "--slots"), 10) == std::pair<uint64_t, uint64_t>{0, 10});
  CHECK(resolve_range(parse_index_range("8:100", "--slots"), 10) == std::pair<uint64_t, uint64_t>{8, 10});
  CHECK(resolve_range(parse_index_range("-100:3", "--slots"), 10) == std::pair<uint64_t, uint64_t>{0, 3});
  CHECK(resolve_range(parse_index_range("6:2", "--slots"), 10) == std::pair<uint64_t, uint64_t>{6, 6});
  CHECK(resolve_range(parse_index_range("-9223372036854775808:", "--slots"), 10) == std::pair<uint64_t, uint64_t>{0, 10});
  CHECK_THROWS_WITH_AS(parse_index_range("5", "--slots"),
                       "--slots 5 is not a range A:B. Fix: write A:B (half-open), A: or :B; a negative bound counts "
                       "from the end, e.g. -10:",
                       Error);
  CHECK_THROWS_WITH_AS(parse_index_range("a:3", "--records"), doctest::Contains("--records a:3: a bound is not a whole"),
                       Error);
  CHECK_THROWS_AS(parse_index_range("1:2:3", "--slots"), Error);
}

TEST_CASE("filters pick slots by range, status, opcode and tenant, from the slot words") {
  const Bytes ring = mixed_ring(32);
  // Listing leaves EMPTY slots out unless asked for.
  CHECK(select_ring_slots(ring, selection({.slots = "0:9"}), true) == std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7});
  CHECK(select_ring_slots(ring, selection({.slots = "0:9", .all = true}), true).size() == 9);
  CHECK(select_ring_slots(ring, selection({.statuses = {"FAULT"}}), true) == std::vector<uint32_t>{7, 15, 23, 31});
  CHECK(select_ring_slots(ring, selection({.statuses = {"EMPTY", "7"}}), true) ==
        std::vector<uint32_t>{0, 7, 8, 15, 16, 23, 24, 31});
  CHECK(select_ring_slots(ring, selection({.slots = "-8:", .opcodes = {"ATOMIC_ADD"}}), true) ==
        std::vector<uint32_t>{26, 29});
  CHECK(select_ring_slots(ring, selection({.statuses = {"DONE"}, .tenant = 1}), true) ==
        std::vector<uint32_t>{3, 11, 19, 27});
  // Counting keeps EMPTY slots.
  CHECK(select_ring_slots(ring, selection({.slots = "0:9"}), false).size() == 9);
  CHECK(select_ring_slots(ring, selection({.opcodes = {"0x2"}}), false).size() == 10);
}

TEST_CASE("IO queues filter by their own statuses and ops") {
  Bytes q = encode_empty_io_queue(4);
  detail::write_word(q, 8 + protocol::io::word::OP_TYPE, protocol::io::op::READ);
  detail::write_word(q, 8 + protocol::io::word::STATUS, protocol::io::status::OK);
  detail::write_word(q, 16 + protocol::io::word::OP_TYPE, protocol::io::op::WRITE);
  detail::write_word(q, 16 + protocol::io::word::STATUS, protocol::slot::PUBLISHED);
  CHECK(select_io_slots(q, selection({.statuses = {"OK"}}, BufferKind::IoQueue), true) == std::vector<uint32_t>{1});
  CHECK(select_io_slots(q, selection({.opcodes = {"WRITE"}}, BufferKind::IoQueue), true) == std::vector<uint32_t>{2});
  CHECK(select_io_slots(q, selection({}, BufferKind::IoQueue), true) == std::vector<uint32_t>{1, 2});
}

TEST_CASE("a filter the kind has not, or a word it does not know, is a usage error with what it takes") {
  CHECK_THROWS_WITH_AS(selection({.records = "0:3"}),
                       "--records does not apply to a ring buffer. Fix: --records applies to debug-log and replay "
                       "buffers; use --slots for a ring",
                       Error);
  CHECK_THROWS_WITH_AS(selection({.slots = "0:3"}, BufferKind::DebugLog),
                       doctest::Contains("use --records for a debug-log"), Error);
  CHECK_THROWS_WITH_AS(selection({.tenant = 1}, BufferKind::IoQueue), doctest::Contains("an IO slot has no tenant"), Error);
  CHECK_THROWS_WITH_AS(selection({.statuses = {"OK"}}), doctest::Contains("--status OK is not a status of a ring slot"),
                       Error);
  CHECK_THROWS_WITH_AS(selection({.opcodes = {"STORE"}}),
                       doctest::Contains("--opcode STORE is not an opcode name. Fix: use one of NOP, STORE_U32"), Error);
  CHECK_THROWS_WITH_AS(selection({.opcodes = {"STORE_U32"}}, BufferKind::IoQueue),
                       doctest::Contains("use READ, WRITE, FENCE or a number"), Error);
  CHECK_THROWS_AS(selection({.statuses = {"DONE"}}, BufferKind::Control), Error);
}

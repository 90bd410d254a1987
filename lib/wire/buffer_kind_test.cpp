#include <doctest/doctest.h>

#include <cstring>

#include "vyre/buffer_kind.h"
#include "vyre/control.h"
#include "vyre/debug_log.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "vyre/replay_log.h"
#include "vyre/ring.h"

using namespace vyre;

TEST_CASE("the table names every kind once") {
  CHECK(buffer_kind_names() == std::vector<std::string>{"control", "ring", "debug-log", "io-queue", "replay"});
  for (const auto& k : buffer_kinds()) CHECK(buffer_kind_from_name(k.name) == k.kind);
  CHECK_FALSE(buffer_kind_from_name("rings").has_value());
}

TEST_CASE("buffers the encoders make pass; what they never make is refused with its offset") {
  CHECK_NOTHROW(check_buffer(BufferKind::Ring, encode_empty_ring(3), "r"));
  CHECK_NOTHROW(check_buffer(BufferKind::Control, encode_control(false, 1, 0), "c"));
  CHECK_NOTHROW(check_buffer(BufferKind::DebugLog, encode_empty_debug_log(0), "d"));
  CHECK_NOTHROW(check_buffer(BufferKind::IoQueue, encode_empty_io_queue(1), "q"));
  CHECK_NOTHROW(check_buffer(BufferKind::Replay, ReplayLog::create(4).bytes(), "l"));
  CHECK_THROWS_WITH_AS(check_buffer(BufferKind::Ring, Bytes{}, "r.bin"),
                       "r.bin, byte offset 0: empty: a ring holds at least one 64-byte slot. Fix: check that it is a "
                       "ring buffer, or build one with vyre encode-ring",
                       Error);
  CHECK_THROWS_WITH_AS(check_buffer(BufferKind::IoQueue, Bytes{}, "q.bin"), doctest::Contains("empty: an IO queue"), Error);
  CHECK_THROWS_WITH_AS(check_buffer(BufferKind::DebugLog, Bytes(8, 0), "d.bin"),
                       doctest::Contains("d.bin, byte offset 4: a debug log of 8 bytes"), Error);
  CHECK_THROWS_WITH_AS(check_buffer(BufferKind::Control, Bytes(636, 0), "c.bin"),
                       doctest::Contains("shorter than its 640 bytes"), Error);
  CHECK_THROWS_WITH_AS(check_buffer(BufferKind::IoQueue, Bytes(65 * 32, 0), "q.bin"),
                       doctest::Contains("65 slots, more than the kernel's IO poll window of 64"), Error);
  CHECK_THROWS_WITH_AS(check_buffer(BufferKind::Replay, Bytes(8, 0), "l.vrrl"), doctest::Contains("l.vrrl"), Error);
}

namespace {
Bytes published_ring(uint32_t slots) {
  Bytes ring = encode_empty_ring(slots);
  for (uint32_t s = 0; s < slots; ++s) {
    uint8_t* p = ring.data() + uint64_t{s} * protocol::SLOT_BYTES;
    p[0] = protocol::slot::DONE;
    p[4] = protocol::opcode::STORE_U32;
    p[12] = protocol::slot::PRIORITY_NORMAL;
    p[24] = 160;  // arg2 (word 6): an IO queue's status word, and no status
  }
  return ring;
}
void set_word(Bytes& b, uint64_t word, uint32_t value) {
  for (int i = 0; i < 4; ++i) b[word * 4 + i] = static_cast<uint8_t>(value >> (8 * i));
}
}  // namespace

TEST_CASE("the kind of what the encoders and the kernel make is told from its bytes") {
  CHECK(detect_buffer_kind(encode_control(false, 1, 16), "c") == BufferKind::Control);
  CHECK(detect_buffer_kind(encode_control(true, 40, 1000), "c") == BufferKind::Control);
  CHECK(detect_buffer_kind(encode_empty_debug_log(64), "d") == BufferKind::DebugLog);
  CHECK(detect_buffer_kind(ReplayLog::create(4).bytes(), "l") == BufferKind::Replay);
  CHECK(detect_buffer_kind(published_ring(16), "r") == BufferKind::Ring);
  // Larger than any IO queue, never a control buffer's layout: a ring by size and content.
  CHECK(detect_buffer_kind(encode_empty_ring(1024), "r") == BufferKind::Ring);
}

TEST_CASE("a buffer several kinds fit is refused with the candidates") {
  // 64 zero bytes: one empty ring slot, or two empty IO slots.
  CHECK(candidate_kinds(encode_empty_ring(1)) == std::vector{BufferKind::Ring, BufferKind::IoQueue});
  CHECK_THROWS_WITH_AS(detect_buffer_kind(encode_empty_ring(1), "x.bin"),
                       "x.bin: the kind cannot be told from the content: 64 bytes could be a ring or an IO queue. "
                       "Fix: pass --kind ring or --kind io-queue",
                       Error);
  CHECK_THROWS_WITH_AS(detect_buffer_kind(Bytes(3, 0xFF), "y.bin"),
                       doctest::Contains("y.bin: 3 bytes keep the layout of no kind of buffer (control: a control "
                                         "buffer of 3 bytes is shorter"),
                       Error);
}

TEST_CASE("each kind's content rules, and the first one broken") {
  Bytes control = encode_control(false, 1, 16);
  set_word(control, protocol::control::TENANT_BASE, 0);
  auto b = buffer_rule_break(BufferKind::Control, control);
  REQUIRE(b);
  CHECK(b->offset == 8);
  CHECK(b->what == "word 2 (TENANT_BASE) is 0 where every control buffer has 3 (the tenant masks start at word 3)");
  control = encode_control(false, 1, 16);
  set_word(control, protocol::control::PRIORITY_OFFSETS_BASE + 2, 5);
  CHECK(buffer_rule_break(BufferKind::Control, control)->what ==
        "the priority offsets decrease: word 132 is 0 after 5");
  Bytes ring = published_ring(4);
  set_word(ring, 2 * protocol::SLOT_WORDS + protocol::PRIORITY_WORD, 9);
  CHECK(buffer_rule_break(BufferKind::Ring, ring)->what == "slot 2's priority word is 9, not a priority (0..4)");
  Bytes queue = encode_empty_io_queue(4);
  set_word(queue, 8 + protocol::io::word::STATUS, 0x12);
  CHECK(buffer_rule_break(BufferKind::IoQueue, queue)->what ==
        "io slot 1's status word is 18, not a slot status, OK (0x10) or ERROR (0x11)");
  Bytes log = encode_empty_debug_log(4);
  std::memcpy(log.data(), "VRRL0001", 8);
  CHECK(buffer_rule_break(BufferKind::DebugLog, log)->what == "the file starts with the VRRL0001 magic of a replay log");
}

TEST_CASE("a --kind the content contradicts is refused saying what the file looks like") {
  CHECK_THROWS_WITH_AS(resolve_buffer_kind(BufferKind::Control, published_ring(16), "ring.bin"),
                       "ring.bin, byte offset 0: read as a control buffer, word 0 (SHUTDOWN) is 3, not 0 or 1; it "
                       "looks like a ring. Fix: pass --kind ring, or leave --kind out to detect it",
                       Error);
  CHECK_THROWS_WITH_AS(resolve_buffer_kind(BufferKind::Ring, encode_control(false, 2, 16), "c.bin"),
                       doctest::Contains("read as a ring, slot 0's priority word is 4294967295, not a priority (0..4); "
                                         "it looks like a control buffer"),
                       Error);
  // The size rules still come first, with their own message.
  CHECK_THROWS_WITH_AS(resolve_buffer_kind(BufferKind::Ring, encode_empty_debug_log(64), "d.bin"),
                       doctest::Contains("a ring of 1028 bytes is not a whole number of 64-byte slots"), Error);
  const KindResolution same = resolve_buffer_kind(BufferKind::Ring, published_ring(16), "r.bin");
  CHECK(same.kind == BufferKind::Ring);
  CHECK_FALSE(same.note);
  CHECK(resolve_buffer_kind(std::nullopt, published_ring(16), "r.bin").kind == BufferKind::Ring);
}

TEST_CASE("a damaged buffer no other kind fits is shown as the kind given, with a note") {
  Bytes ring = published_ring(64);
  set_word(ring, 5 * protocol::SLOT_WORDS, 8);  // status 8
  const KindResolution r = resolve_buffer_kind(BufferKind::Ring, ring, "bad.bin");
  CHECK(r.kind == BufferKind::Ring);
  REQUIRE(r.note);
  CHECK(*r.note == "bad.bin, byte offset 320: slot 5's status word is 8, not a slot status (0..7); no other kind fits "
                   "either, so it is shown as a ring");
}

#include <doctest/doctest.h>

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

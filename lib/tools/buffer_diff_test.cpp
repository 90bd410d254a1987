#include <doctest/doctest.h>

#include "vyre/buffer_diff.h"
#include "vyre/control.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/ring.h"
#include "vyre/slot_publish.h"

using namespace vyre;

TEST_CASE("equal rings are equal; a changed slot names its fields") {
  Bytes a = encode_empty_ring(8);
  const uint32_t args[] = {1, 2};
  publish_slot(a, 3, 0, protocol::opcode::STORE_U32, args);
  Bytes b = a;
  CHECK(diff_buffers(BufferKind::Ring, a, b, {}).equal());
  detail::write_word(b, 3 * 16 + protocol::STATUS_WORD, protocol::slot::DONE);
  detail::write_word(b, 3 * 16 + protocol::ARG0_WORD + 1, 5);
  const BufferDiff d = diff_buffers(BufferKind::Ring, a, b, {});
  REQUIRE(d.changed.size() == 2);
  CHECK(d.changed[0].where == "slot 3");
  CHECK(d.changed[0].field == "args[1]");
  CHECK(d.changed[1].field == "status");
  CHECK(d.changed[1].b == "DONE");
  CHECK(diff_buffers(BufferKind::Ring, a, b, {"status", "args"}).equal());
  CHECK(buffer_diff_text(d) == "slot 3: args[1] 2 -> 5\nslot 3: status \"PUBLISHED\" -> \"DONE\"\n");
}

TEST_CASE("control metrics compare by name; unknown fields and bad buffers are named") {
  Bytes a = encode_control(false, 1, 4), b = a;
  detail::write_word(b, protocol::control::METRICS_BASE + protocol::opcode::STORE_U32, 2);
  const BufferDiff d = diff_buffers(BufferKind::Control, a, b, {});
  REQUIRE(d.changed.size() == 1);
  CHECK(d.changed[0].field == "metrics.STORE_U32");
  CHECK(d.changed[0].a == 0);
  CHECK_THROWS_WITH_AS(diff_buffers(BufferKind::Ring, a, b, {"epoch"}),
                       doctest::Contains("--ignore epoch is not a field of a ring buffer"), Error);
  CHECK_THROWS_WITH_AS(diff_buffers(BufferKind::Ring, encode_empty_ring(1), Bytes(65, 0), {}, "x.bin", "y.bin"),
                       doctest::Contains("y.bin, byte offset 64"), Error);
}

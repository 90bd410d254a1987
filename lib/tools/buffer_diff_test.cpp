#include <doctest/doctest.h>

#include "vyre/buffer_diff.h"
#include "vyre/control.h"
#include "vyre/debug_log.h"
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

TEST_CASE("a ring slot that differs everywhere names each field, in the order of its JSON keys") {
  Bytes a = encode_empty_ring(2), b = a;
  for (uint32_t w = 0; w < protocol::SLOT_WORDS; ++w) detail::write_word(b, 16 + w, 100 + w);
  const BufferDiff d = diff_buffers(BufferKind::Ring, a, b, {});
  std::vector<std::string> fields;
  for (const auto& c : d.changed) {
    CHECK(c.where == "slot 1");
    fields.push_back(c.field);
  }
  CHECK(fields == std::vector<std::string>{"args[0]", "args[1]", "args[2]", "args[3]", "args[4]",  "args[5]",
                                           "args[6]", "args[7]", "args[8]", "args[9]", "args[10]", "args[11]",
                                           "opcode",  "priority", "status", "tenant"});
  // Unnamed values stay numbers, named ones are names: as inspect shows them.
  CHECK(d.changed[12].a == "NOP");
  CHECK(d.changed[12].b == 101);
  CHECK(d.changed[14].a == "EMPTY");
  CHECK(d.changed[14].b == 100);
  CHECK(diff_buffers(BufferKind::Ring, a, b, {"args", "opcode", "priority", "status", "tenant"}).equal());
}

TEST_CASE("the diff's JSON is one compact line of schemas/diff.schema.json's shape") {
  Bytes a = encode_empty_ring(1), b = a;
  detail::write_word(b, protocol::STATUS_WORD, protocol::slot::FAULT);
  const std::string text = buffer_diff_json(diff_buffers(BufferKind::Ring, a, b, {})).dump();
  CHECK(text == R"({"added":[],"changed":[{"a":"EMPTY","b":"FAULT","field":"status","where":"slot 0"}],"equal":false,)"
                R"("kind":"ring","removed":[]})");
  CHECK(buffer_diff_json_line(diff_buffers(BufferKind::Ring, a, b, {})) == text + "\n");
  // Records too (debug logs, replay logs), and an equal diff.
  Bytes log_a = encode_empty_debug_log(4), log_b = log_a;
  detail::write_word(log_b, 0, 4);
  detail::write_word(log_b, 1, 9);
  const BufferDiff records = diff_buffers(BufferKind::DebugLog, log_a, log_b, {});
  CHECK(buffer_diff_json_line(records) == buffer_diff_json(records).dump() + "\n");
  const BufferDiff same = diff_buffers(BufferKind::Ring, a, a, {});
  CHECK(buffer_diff_json_line(same) == buffer_diff_json(same).dump() + "\n");
}

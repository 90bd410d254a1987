#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <random>

#include "vyre/ring_encoder.h"
#include "vyre/packed_slot.h"
#include "vyre/slot_publish.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/ring.h"

using namespace vyre;
namespace op = protocol::opcode;

namespace {
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("publish_slot writes header, zeroed args, args and PUBLISHED") {
  Bytes ring = encode_empty_ring(2);
  std::fill(ring.begin() + 64, ring.end(), 0xAB);  // slot 1 dirty but...
  detail::write_word(ring, 16, protocol::slot::DONE);  // ...DONE, so publishable
  const uint32_t args[2] = {7, 9};
  publish_slot(ring, 1, 5, op::STORE_U32, args);
  const SlotView s = decode_slot(ring, 1);
  CHECK(s.status == protocol::slot::PUBLISHED);
  CHECK(s.opcode == op::STORE_U32);
  CHECK(s.tenant == 5);
  CHECK(s.priority == protocol::slot::PRIORITY_NORMAL);
  CHECK(s.args == SlotArgs{7, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  CHECK(s.index == 1);
}

TEST_CASE("a failed publish leaves the ring unchanged") {
  Bytes ring = encode_empty_ring(4);
  const uint32_t args[1] = {1};
  publish_slot(ring, 0, 0, op::NOP, args);
  const Bytes before = ring;
  CHECK(error_of([&] { publish_slot(ring, 0, 0, op::NOP, args); }).find("slot is not publishable") != std::string::npos);
  CHECK(error_of([&] { publish_slot(ring, 4, 0, op::NOP, args); }).find("slot_idx exceeds ring slot count") != std::string::npos);
  CHECK(error_of([&] { publish_slot(ring, 1, 0, 0xFFF0, args); }).find("reserved system range") != std::string::npos);
  std::vector<BatchItem> items = {{op::NOP, {}}, {op::NOP, {}}, {op::NOP, {}}};
  // The window reaches the PUBLISHED slot 0? No: start 1 needs slots 1..4 but
  // the ring has 4 slots, so the whole batch is refused before any write.
  CHECK(error_of([&] { batch_publish(ring, 1, 0, items, 9); }).find("batch publish exceeds ring slot count") !=
        std::string::npos);
  CHECK(ring == before);
}

TEST_CASE("publish checks run in upstream's order") {
  Bytes misaligned(100, 0);
  std::vector<uint32_t> thirteen(13, 1);
  // Ring length first, even with a bad slot, too many args and a bad opcode.
  CHECK(error_of([&] { publish_slot(misaligned, 99, 0, 0xFFF0, thirteen); })
            .find("ring buffer byte length is not an exact multiple") != std::string::npos);
  Bytes ring = encode_empty_ring(1);
  CHECK(error_of([&] { publish_slot(ring, 0, 0, 0xFFF0, thirteen); }).find("too many args") != std::string::npos);
  // publish_work_items validates opcodes before the ring length.
  WorkItem bad{0xFFF0, 0, 0, 0};
  CHECK(error_of([&] { publish_work_items(misaligned, 0, 0, std::span(&bad, 1)); }).find("reserved system range") !=
        std::string::npos);
}

TEST_CASE("encode_ring_into gives the bytes of encode_empty_ring + publish_slot") {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    const uint32_t slot_count = 1 + rng() % 64;
    std::vector<SlotWrite> writes;
    Bytes expected = encode_empty_ring(slot_count);
    for (uint32_t s = 0; s < slot_count; ++s) {
      if (rng() % 3 == 0) continue;
      SlotWrite w{s, static_cast<uint32_t>(rng() % 5), static_cast<uint32_t>(rng() % 8), static_cast<uint32_t>(rng() % 13), {}};
      for (uint32_t k = 0; k < w.arg_count; ++k) w.args[k] = rng();
      for (uint32_t k = w.arg_count; k < 12; ++k) w.args[k] = rng();  // ignored words
      publish_slot(expected, s, w.tenant, w.opcode, std::span(w.args.data(), w.arg_count));
      writes.push_back(w);
    }
    if (round % 2) std::shuffle(writes.begin(), writes.end(), rng);  // the out-of-order path
    Bytes got(3, 0xEE);
    encode_ring_into(slot_count, writes, got);
    CHECK(got == expected);
  }
}

TEST_CASE("encode_ring_into refuses a slot given twice and leaves no half ring") {
  std::vector<SlotWrite> writes = {{1, 0, op::NOP, 0, {}}, {0, 0, op::NOP, 0, {}}, {1, 0, op::NOP, 0, {}}};
  Bytes ring;
  CHECK(error_of([&] { encode_ring_into(4, writes, ring); }).find("slot is not publishable") != std::string::npos);
  CHECK(ring.empty());
  writes = {{0, 0, op::NOP, 0, {}}, {5, 0, op::NOP, 0, {}}};
  CHECK(error_of([&] { encode_ring_into(4, writes, ring); }).find("slot_idx exceeds") != std::string::npos);
  CHECK(ring.empty());
}

TEST_CASE("packed slots decode as the publisher laid them out, with the kernel's clamp") {
  std::vector<PackedOp> ops;
  for (uint8_t i = 0; i < 6; ++i) ops.push_back({static_cast<uint8_t>(i + 1), {uint32_t{i} + 10u}});
  const auto words = pack_slot_args(ops);
  REQUIRE(words.size() == 4 + 6);  // ceil((2 + 12) / 4) = 4 metadata words
  SlotArgs args{};
  std::copy(words.begin(), words.end(), args.begin());
  const PackedView v = decode_packed(args);
  CHECK(v.op_count == 6);
  CHECK(v.arg_words == 6);
  CHECK(v.metadata_words == 4);
  REQUIRE(v.ops.size() == 6);
  for (uint32_t i = 0; i < 6; ++i) {
    CHECK(v.ops[i].opcode == i + 1);
    CHECK(v.ops[i].args == std::vector<uint32_t>{i + 10});
  }
  // The kernel clamps to 4 ops and computes 3 metadata words from the clamped
  // count, so it reads op i's words one word early.
  CHECK(v.ops[0].executed);
  CHECK(v.ops[3].executed);
  CHECK_FALSE(v.ops[4].executed);
  CHECK(v.ops[0].kernel_args[0] == args[3]);
}

TEST_CASE("pack_slot_args enforces the 12-word budget") {
  CHECK(error_of([] { pack_slot_args(std::vector<PackedOp>(24)); }).find("metadata exceeds") != std::string::npos);
  CHECK(error_of([] { pack_slot_args(std::vector<PackedOp>(256)); }).find("at most 255 inner opcodes") != std::string::npos);
  std::vector<PackedOp> big = {{1, std::vector<uint32_t>(11, 1)}, {2, {1}}};
  CHECK(error_of([&] { pack_slot_args(big); }).find("payload exceeds") != std::string::npos);
  CHECK(pack_slot_args(std::vector<PackedOp>{{1, std::vector<uint32_t>(11, 1)}}).size() == 12);
}

TEST_CASE("decode_ring rejects partial slots with the offset") {
  Bytes ring(130, 0);
  const std::string msg = error_of([&] { decode_ring(ring); });
  CHECK(msg.find("ring, byte offset 128") != std::string::npos);
  CHECK(msg.find("2 trailing bytes") != std::string::npos);
  CHECK(decode_ring(Bytes{}).slots.empty());
}

TEST_CASE("LOAD_MISS slots round-trip") {
  const Bytes slot = encode_load_miss(0xABCD, true);
  auto lm = decode_load_miss(slot, 0);
  REQUIRE(lm);
  CHECK(lm->resource_id == 0xABCD);
  CHECK(lm->prefetch);
  CHECK_FALSE(decode_load_miss(slot, 1));
  CHECK_FALSE(decode_load_miss(slot, 0x10000000));  // u32 slot-base overflow
}

TEST_CASE("count_statuses from the bytes agrees with the decoded view, unknown statuses included") {
  Bytes ring = encode_empty_ring(9);
  const uint32_t statuses[] = {0, 1, 1, 3, 7, 4, 8, 0xFFFFFFFF, 3};
  for (uint32_t s = 0; s < 9; ++s) detail::write_word(ring, s * protocol::SLOT_WORDS, statuses[s]);
  const StatusCounts a = count_statuses(ByteSpan(ring)), b = count_statuses(decode_ring(ring));
  CHECK(a.by_status == b.by_status);
  CHECK(a.other == 2);
  CHECK(b.other == 2);
  CHECK(a.by_status[protocol::slot::DONE] == 2);
  CHECK_THROWS_AS(count_statuses(ByteSpan(ring.data(), 63)), Error);
}

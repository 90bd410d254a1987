#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/packed_slot.h"
#include "vyre/slot_publish.h"
#include "error_text.h"
#include "golden_vectors.h"

using namespace vyre;
namespace op = protocol::opcode;
using testing::error_of;

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

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
}  // namespace

void add_packed_slot_vectors(GoldenHandlers& h) {
  h["Megakernel::publish_packed_slot"] = mutator([](const json& p, Bytes& buf) {
    std::vector<PackedOp> ops;
    for (const auto& op : p["ops"]) ops.push_back({op["op_id"].get<uint8_t>(), u32s(op["args"])});
    publish_packed_slot(buf, p["slot_idx"], p["tenant_id"], ops);
    return json(nullptr);
  });
}

}  // namespace vyre::testing

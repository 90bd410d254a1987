#include <doctest/doctest.h>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/slot_publish.h"
#include "error_text.h"
#include "golden_vectors.h"

using namespace vyre;
namespace op = protocol::opcode;
using testing::error_of;

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

TEST_CASE("LOAD_MISS slots round-trip") {
  const Bytes slot = encode_load_miss(0xABCD, true);
  auto lm = decode_load_miss(slot, 0);
  REQUIRE(lm);
  CHECK(lm->resource_id == 0xABCD);
  CHECK(lm->prefetch);
  CHECK_FALSE(decode_load_miss(slot, 1));
  CHECK_FALSE(decode_load_miss(slot, 0x10000000));  // u32 slot-base overflow
}

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
std::vector<WorkItem> work_items(const json& items) {
  std::vector<WorkItem> out;
  for (const auto& i : items) out.push_back({i["op_handle"], i["input_handle"], i["output_handle"], i["param"]});
  return out;
}
}  // namespace

void add_slot_publish_vectors(GoldenHandlers& h) {
  h["encode_load_miss"] = [](const json& e, Outcome& o) {
    o.bytes = encode_load_miss(e["params"]["resource_id"], e["params"]["prefetch"]);
  };
  h["decode_load_miss"] = [](const json& e, Outcome& o) {
    auto r = decode_load_miss(input_of(e), e["params"]["slot"]);
    o.value = r ? json{{"resource_id", r->resource_id}, {"prefetch", r->prefetch}} : json(nullptr);
  };
  h["Megakernel::publish_slot"] = mutator([](const json& p, Bytes& buf) {
    publish_slot(buf, p["slot_idx"], p["tenant_id"], p["opcode"], u32s(p["args"]));
    return json(nullptr);
  });
  h["Megakernel::batch_publish"] = mutator([](const json& p, Bytes& buf) {
    std::vector<BatchItem> items;
    for (const auto& i : p["items"]) items.push_back({i["opcode"], u32s(i["args"])});
    return json(batch_publish(buf, p["start_slot"], p["tenant_id"], items, p["batch_tag"]));
  });
  h["Megakernel::publish_work_items"] = mutator([](const json& p, Bytes& buf) {
    return json(publish_work_items(buf, p["start_slot"], p["tenant_id"], work_items(p["items"])));
  });
  h["Megakernel::encode_work_items_ring_into"] = mutator([](const json& p, Bytes& buf) {
    encode_work_items_ring_into(p["slot_count"], p["tenant_id"], work_items(p["items"]), buf);
    return json(nullptr);
  });
  h["Megakernel::encode_work_items_ring_words_into"] = mutator([](const json& p, Bytes& buf) {
    std::vector<uint32_t> words(buf.size() / 4);
    if (!words.empty()) std::memcpy(words.data(), buf.data(), words.size() * 4);
    encode_work_items_ring_words_into(p["slot_count"], p["tenant_id"], work_items(p["items"]), words);
    buf.assign(reinterpret_cast<const uint8_t*>(words.data()), reinterpret_cast<const uint8_t*>(words.data() + words.size()));
    return json(nullptr);
  });
}

}  // namespace vyre::testing

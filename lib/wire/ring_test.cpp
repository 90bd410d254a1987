#include <doctest/doctest.h>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/ring.h"
#include "vyre/slot_publish.h"
#include "error_text.h"
#include "golden_vectors.h"

using namespace vyre;
namespace op = protocol::opcode;
using testing::error_of;

TEST_CASE("decode_ring rejects partial slots with the offset") {
  Bytes ring(130, 0);
  const std::string msg = error_of([&] { decode_ring(ring); });
  CHECK(msg.find("ring, byte offset 128") != std::string::npos);
  CHECK(msg.find("2 trailing bytes") != std::string::npos);
  CHECK(decode_ring(Bytes{}).slots.empty());
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

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
}  // namespace

void add_ring_vectors(GoldenHandlers& h) {
  h["ring_byte_len"] = [](const json& e, Outcome& o) { o.value = optional_len(ring_byte_len(e["params"]["slot_count"])); };
  h["try_encode_empty_ring"] = encoder([](const json& p) { return encode_empty_ring(p["slot_count"]); }, false);
  h["Megakernel::try_encode_empty_ring"] = encoder([](const json& p) { return encode_empty_ring(p["slot_count"]); }, true);
  h["try_encode_empty_ring_into"] = [](const json& e, Outcome& o) {
    Bytes buf = input_of(e);
    encode_empty_ring_into(e["params"]["slot_count"], buf);
    o.bytes = buf;
  };
  h["try_count_done_ring_slots"] = [](const json& e, Outcome& o) {
    o.value = count_done_ring_slots(input_of(e), e["params"]["item_count"]);
  };
  h["Megakernel::try_count_done_ring_slots"] = [](const json& e, Outcome& o) {
    try {
      o.value = count_done_ring_slots(input_of(e), e["params"]["item_count"]);
    } catch (const Error& err) {
      throw err.to_pipeline();
    }
  };
  h["count_done_ring_slots"] = [](const json& e, Outcome& o) {
    auto r = count_done_ring_slots_lenient(input_of(e), e["params"]["item_count"]);
    o.value = r ? json(*r) : json(nullptr);
  };
}

}  // namespace vyre::testing

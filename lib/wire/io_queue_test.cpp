#include <doctest/doctest.h>

#include "vyre/host_io_queue.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "golden_vectors.h"

using namespace vyre;

TEST_CASE("host pump: publish, poll, claim, complete, recycle") {
  IoQueue q(4);
  q.submit_dma_read(1, 5, 6, 512, 77);
  Bytes bytes(q.bytes().begin(), q.bytes().end());
  auto polled = poll_io_requests(bytes);
  REQUIRE(polled.size() == 1);
  CHECK(polled[0] == IoRequest{1, protocol::io::op::READ, 5, 6, 0, 512, 77});
  auto claimed = claim_io_requests(bytes);
  CHECK(claimed == polled);
  CHECK(poll_io_requests(bytes).empty());
  CHECK(claim_io_requests(bytes).empty());
  complete_io_request(bytes, 1, false);
  CHECK(decode_io_queue(bytes).slots[1].status == protocol::io::status::ERROR);
  CHECK_THROWS_AS(complete_io_request(bytes, 1, true), Error);  // no longer CLAIMED
}

TEST_CASE("a batch completion checks every slot before writing") {
  IoQueue q(4);
  q.submit_dma_read(0, 1, 1, 1, 1);
  Bytes bytes(q.bytes().begin(), q.bytes().end());
  claim_io_requests(bytes);
  const Bytes before = bytes;
  const std::pair<uint32_t, bool> batch[] = {{0, true}, {3, true}};
  CHECK_THROWS_AS(complete_io_requests_batch(bytes, batch), Error);
  CHECK(bytes == before);
}

TEST_CASE("queue shape errors") {
  CHECK_THROWS_WITH_AS(validate_io_queue_bytes(Bytes(31, 0)),
                       "backend error: io_queue has 31 bytes, which is not 4-byte aligned. Fix: pass a whole u32 queue buffer.",
                       Error);
  CHECK(validate_io_queue_bytes(Bytes(64 * 32, 0)) == 64);
  CHECK_THROWS_AS(validate_io_queue_bytes(Bytes(65 * 32, 0)), Error);
  CHECK_THROWS_AS(IoQueue(0), Error);
}

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
json request_json(const IoRequest& r) {
  return {{"slot_idx", r.slot_idx}, {"op_type", r.op_type}, {"src_handle", r.src_handle}, {"dst_handle", r.dst_handle},
          {"offset", r.offset},     {"byte_count", r.byte_count}, {"tag", r.tag}};
}
}  // namespace

void add_io_queue_vectors(GoldenHandlers& h) {
  h["try_encode_empty_io_queue"] = [](const json& e, Outcome& o) { o.bytes = encode_empty_io_queue(e["params"]["slot_count"]); };
  h["validate_io_queue_bytes"] = [](const json& e, Outcome& o) {
    validate_io_queue_bytes(input_of(e));
    o.value = nullptr;
  };
  h["try_poll_io_requests"] = [](const json& e, Outcome& o) {
    o.value = json::array();
    for (const auto& r : poll_io_requests(input_of(e))) o.value.push_back(request_json(r));
  };
  h["try_claim_io_requests_into"] = mutator([](const json&, Bytes& buf) {
    json out = json::array();
    for (const auto& r : claim_io_requests(buf)) out.push_back(request_json(r));
    return out;
  });
  h["try_complete_io_request"] = mutator([](const json& p, Bytes& buf) {
    complete_io_request(buf, p["slot_idx"], p["success"]);
    return json(nullptr);
  });
  h["try_complete_io_requests_batch"] = mutator([](const json& p, Bytes& buf) {
    std::vector<std::pair<uint32_t, bool>> c;
    for (const auto& x : p["completions"]) c.emplace_back(x["slot_idx"], x["success"]);
    complete_io_requests_batch(buf, c);
    return json(nullptr);
  });

}

}  // namespace vyre::testing

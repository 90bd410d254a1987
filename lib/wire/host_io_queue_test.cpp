#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/host_io_queue.h"
#include "golden_vectors.h"

using namespace vyre;

TEST_CASE("a host queue reports a slot in flight until it is recycled") {
  IoQueue q(2);
  q.submit_dma_read(1, 5, 6, 512, 77);
  const auto c = q.completion(1);
  REQUIRE(c.has_value());
  CHECK(*c == IoCompletion{1, 6, 512, 77});
  CHECK_FALSE(q.is_recycled(1));
  CHECK_FALSE(q.completion(0).has_value());
  CHECK(q.is_recycled(0));
  CHECK_THROWS_AS(q.submit_dma_read(2, 1, 1, 1, 1), Error);  // past the queue
  CHECK_THROWS_AS(IoQueue(0), Error);
}

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
}  // namespace

void add_host_io_queue_vectors(GoldenHandlers& h) {
  h["MegakernelIoQueue::new"] = [](const json& e, Outcome& o) {
    IoQueue q(e["params"]["slot_count"]);
    o.bytes = Bytes(q.bytes().begin(), q.bytes().end());
  };
  auto with_queue = [](std::function<json(const json& p, IoQueue& q)> f) {
    return [f](const json& e, Outcome& o) {
      IoQueue q = IoQueue::adopt(input_of(e));
      REQUIRE(q.slot_count() == e["params"]["queue_slot_count"].get<uint32_t>());
      try {
        o.value = f(e["params"], q);
      } catch (...) {
        o.bytes = Bytes(q.bytes().begin(), q.bytes().end());
        throw;
      }
      o.bytes = Bytes(q.bytes().begin(), q.bytes().end());
    };
  };
  h["MegakernelIoQueue::publish_slot"] = with_queue([](const json& p, IoQueue& q) {
    q.publish_slot(p["queue_slot"], p["mapped_slot"], p["byte_count"], p["tag"]);
    return json(nullptr);
  });
  h["MegakernelIoQueue::submit_dma_read"] = with_queue([](const json& p, IoQueue& q) {
    q.submit_dma_read(p["queue_slot"], p["src_handle"], p["dst_handle"], p["byte_count"], p["tag"]);
    return json(nullptr);
  });
  h["MegakernelIoQueue::completion"] = with_queue([](const json& p, IoQueue& q) {
    auto c = q.completion(p["queue_slot"]);
    return c ? json{{"slot_idx", c->slot_idx}, {"mapped_slot", c->mapped_slot}, {"byte_count", c->byte_count}, {"tag", c->tag}}
             : json(nullptr);
  });
  h["MegakernelIoQueue::is_recycled"] = with_queue([](const json& p, IoQueue& q) { return json(q.is_recycled(p["queue_slot"])); });
}

}  // namespace vyre::testing

#include <doctest/doctest.h>

#include "vyre/host_io_queue.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"

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

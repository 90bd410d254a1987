#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/replay_log.h"

using namespace vyre;

namespace {
RecordedSlot rec(uint32_t i) { return {1000 + i, i, i % 3, 0x4000'0000u + i, {i, 2 * i, 3 * i, 4 * i}, i / 2}; }
}  // namespace

TEST_CASE("a fresh log has the VRRL0001 header and no records") {
  const ReplayLog log = ReplayLog::create(4);
  CHECK(log.bytes().size() == 32 + 4 * 64);
  CHECK(std::string(log.bytes().begin(), log.bytes().begin() + 8) == "VRRL0001");
  CHECK(log.records().empty());
}

TEST_CASE("append wraps and replay starts at the cursor") {
  ReplayLog log = ReplayLog::create(3);
  for (uint32_t i = 0; i < 5; ++i) log.append(rec(i));
  CHECK(log.next_slot() == 2);
  const auto records = log.records();
  REQUIRE(records.size() == 3);
  CHECK(records[0] == rec(2));
  CHECK(records[1] == rec(3));
  CHECK(records[2] == rec(4));
  const ReplayLog again = ReplayLog::parse(log.bytes());
  CHECK(again.records() == records);
  CHECK(again.bytes() == log.bytes());
}

TEST_CASE("damaged logs are refused with the offset") {
  ReplayLog log = ReplayLog::create(2);
  log.append(rec(1));
  Bytes bytes = log.bytes();
  bytes[8] = 2;  // version
  CHECK_THROWS_WITH_AS(ReplayLog::parse(bytes), doctest::Contains("byte offset 8: header version 2"), Error);
  bytes = log.bytes();
  bytes.resize(40);
  CHECK_THROWS_WITH_AS(ReplayLog::parse(bytes), doctest::Contains("truncated"), Error);
  bytes = log.bytes();
  bytes[16] = 0;  // capacity 0
  CHECK_THROWS_WITH_AS(ReplayLog::parse(bytes), doctest::Contains("capacity must be > 0"), Error);
  CHECK_THROWS_AS(ReplayLog::create(1'048'577), Error);
}

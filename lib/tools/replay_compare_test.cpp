#include <doctest/doctest.h>

#include "vyre/error.h"
#include "vyre/replay_stream.h"

using namespace vyre;

namespace {
// Two rounds of a small replay, as a backend would report them.
ReplayStream two_rounds() {
  ReplayStream s;
  s.log = "session.vrrl";
  s.slot_count = 4;
  s.records_in_log = s.records_replayed = 3;
  s.backend = "reference";
  s.device = "host";
  for (uint32_t i = 0; i < 2; ++i) {
    ReplayRound r;
    r.index = i;
    r.recorded_epoch = r.epoch_before = i;
    r.epoch_after = i + 1;
    r.slots = i + 1;
    r.first_timestamp_ns = 1000 + i;
    r.statuses[protocol::slot::DONE] = i + 1;
    r.statuses[protocol::slot::EMPTY] = 3 - i;
    r.done_count = i + 1;
    r.observables = {7, 8 + i};
    s.rounds.push_back(r);
  }
  return s;
}
}  // namespace

TEST_CASE("compare_replay_streams names the round and word that differ; JSON round-trips") {
  const ReplayStream a = two_rounds();
  const ReplayStream parsed = parse_replay_stream(replay_stream_json(a).dump(), "stream.json");
  CHECK(compare_replay_streams(a, parsed).empty());

  ReplayStream b = parsed;
  b.rounds[1].observables.back() ^= 1;
  b.rounds[0].statuses[protocol::slot::DONE] += 1;
  const auto diffs = compare_replay_streams(a, b);
  REQUIRE(diffs.size() == 2);
  CHECK(diffs[0].round == 0);
  CHECK(diffs[0].field == "statuses.DONE");
  CHECK(diffs[1].round == 1);
  CHECK(diffs[1].field == "observables[1]");
  b.rounds.pop_back();
  CHECK(compare_replay_streams(a, b).front().field == "rounds");

  CHECK_THROWS_WITH_AS(parse_replay_stream(R"({"rounds": [{}], "slot_count": 1, "records_in_log": 1, "records_replayed": 1})",
                                           "s.json"),
                       doctest::Contains("s.json: $.rounds[0]: missing \"recorded_epoch\""), Error);
  CHECK_THROWS_AS(parse_replay_stream("[1,2", "s.json"), Error);
  // A key written twice in a saved stream is refused, naming its path.
  CHECK_THROWS_WITH_AS(parse_replay_stream(R"({"rounds": [], "rounds": []})", "s.json"),
                       doctest::Contains("s.json: rounds: key \"rounds\" appears twice"), Error);
}

// Recording and replaying sessions: a replay of a recorded session must end
// with the buffers the session ended with, on the reference interpreter and
// on the OpenCL device (PoCL on CI; no device fails this test).
#include <doctest/doctest.h>

#include "ring_generator.h"
#include "vyre/slot_publish.h"
#include "vyre/backend.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/reference_interpreter.h"
#include "vyre/replay.h"

using namespace vyre;

namespace {

RecordedSlot rec(uint32_t slot, uint32_t epoch, uint64_t ts = 1) {
  RecordedSlot r;
  r.slot_idx = slot;
  r.epoch = epoch;
  r.timestamp_ns = ts;
  r.opcode = protocol::opcode::NOP;
  return r;
}

// VRRL0001 keeps args 0..3: sessions under test leave out slots with more
// (zeroing the extra words instead would turn packed stores into writes of
// word 0, SHUTDOWN, which makes the ring order-dependent).
uint32_t drop_wide_slots(Bytes& ring) {
  uint32_t published = 0;
  for (size_t s = 0; s < ring.size() / protocol::SLOT_BYTES; ++s) {
    bool wide = false;
    for (uint32_t a = protocol::replay::RECORD_ARGS; a < protocol::ARGS_PER_SLOT; ++a)
      wide = wide || detail::word_at(ring, s * protocol::SLOT_WORDS + protocol::ARG0_WORD + a) != 0;
    if (wide) std::fill_n(ring.begin() + static_cast<std::ptrdiff_t>(s * protocol::SLOT_BYTES), protocol::SLOT_BYTES, 0);
    else published += detail::word_at(ring, s * protocol::SLOT_WORDS) == protocol::slot::PUBLISHED;
  }
  return published;
}

struct Session {
  DispatchBuffers start, end;
  ReplayLog log = ReplayLog::create(4096);
  ResourceMap resources;
  uint32_t max_slots = 0;
  uint32_t rounds = 0;  // dispatches that published something
};

// Several dispatches, each carrying control, debug log and IO queue to the
// next, each recorded before it runs (as `vyre dispatch --record` does), with
// a distinct timestamp per dispatch. Every dispatch publishes a random subset
// of one generated ring, so each stays race-free against the one control
// layout the generator planned for (ring_generator.h).
Session run_session(uint32_t seed, PassRunner& runner) {
  testing::RingGenerator gen(seed, testing::resource_file("vyre_replay_resource.bin", "resource"));
  std::mt19937 rng(seed);
  Session s;
  testing::GeneratedRing first = gen.next();
  s.resources = first.resources;
  s.start = first.buffers;
  DispatchBuffers cur = s.start;
  DispatchOptions options;
  options.resources = s.resources;
  const int rounds = 2 + static_cast<int>(seed % 4);
  for (int i = 0; i < rounds; ++i) {
    Bytes ring = first.buffers.ring;
    for (size_t slot = 0; i > 0 && slot < ring.size() / protocol::SLOT_BYTES; ++slot)
      if (rng() % 3 == 0) std::fill_n(ring.begin() + static_cast<std::ptrdiff_t>(slot * protocol::SLOT_BYTES), protocol::SLOT_BYTES, 0);
    if (drop_wide_slots(ring) != 0) ++s.rounds;
    s.max_slots = std::max(s.max_slots, static_cast<uint32_t>(ring.size() / protocol::SLOT_BYTES));
    record_published(s.log, ring, cur.control, 1000 + static_cast<uint64_t>(i));
    cur.ring = std::move(ring);
    cur = run_dispatch(runner, CheckedBuffers(std::move(cur)), options).buffers;
  }
  s.end = std::move(cur);
  return s;
}

// Replay options that start where the session started.
ReplayOptions starting_point(const Session& s) {
  ReplayOptions options;
  options.control = s.start.control;
  options.debug_log = s.start.debug_log;
  options.io_queue = s.start.io_queue;
  options.dispatch.resources = s.resources;
  return options;
}

}  // namespace

TEST_CASE("record_published keeps PUBLISHED slots in slot order with the control's epoch") {
  Bytes ring = encode_empty_ring(8);
  publish_slot(ring, 5, 2, protocol::opcode::STORE_U32, std::vector<uint32_t>{7, 160, 1, 2});
  publish_slot(ring, 1, 0, 0x100, std::vector<uint32_t>{1, 2, 3, 4, 5});  // arg4: not recordable
  const Bytes lm = encode_load_miss(9, true);
  std::copy(lm.begin(), lm.end(), ring.begin() + 3 * protocol::SLOT_BYTES);
  detail::write_word(ring, 7 * protocol::SLOT_WORDS, protocol::slot::DONE);  // drained: not published
  Bytes control = encode_control(false, 1, 4);
  detail::write_word(control, protocol::control::EPOCH, 42);

  ReplayLog log = ReplayLog::create(2);
  const RecordSummary sum = record_published(log, ring, control, 77);
  CHECK(sum.recorded == 3);
  CHECK(sum.epoch == 42);
  CHECK(sum.truncated_slots == std::vector<uint32_t>{1});
  CHECK(sum.overwritten == 1);  // 3 records into a 2-record log
  const auto records = log.records();
  REQUIRE(records.size() == 2);
  CHECK(records[0].slot_idx == 3);
  CHECK(records[0].opcode == protocol::opcode::LOAD_MISS);
  CHECK(records[0].args == std::array<uint32_t, 4>{9, 1, 0, 0});
  CHECK(records[1].slot_idx == 5);
  CHECK(records[1].tenant_id == 2);
  CHECK(records[1].args == std::array<uint32_t, 4>{7, 160, 1, 2});
  CHECK(records[1].epoch == 42);
  CHECK(records[1].timestamp_ns == 77);
}

TEST_CASE("plan_replay: a round per epoch, a new one when a slot repeats, epoch range, dispatch split") {
  const std::vector<RecordedSlot> records = {rec(0, 0, 1), rec(1, 0, 1), rec(2, 0, 2), rec(0, 0, 2),
                                             rec(0, 1, 3), rec(1, 1, 3), rec(3, 2, 4)};
  auto sizes = [](const std::vector<ReplayRoundPlan>& plan) {
    std::vector<std::pair<uint32_t, size_t>> out;
    for (const auto& r : plan) out.emplace_back(r.epoch, r.slots.size());
    return out;
  };
  using V = std::vector<std::pair<uint32_t, size_t>>;
  CHECK(sizes(plan_replay(records, {}, {})) == V{{0, 3}, {0, 1}, {1, 2}, {2, 1}});
  CHECK(sizes(plan_replay(records, {}, {}, RoundSplit::Dispatch)) == V{{0, 2}, {0, 2}, {1, 2}, {2, 1}});
  CHECK(sizes(plan_replay(records, 1u, {})) == V{{1, 2}, {2, 1}});
  CHECK(sizes(plan_replay(records, {}, 0u)) == V{{0, 3}, {0, 1}});
  CHECK(plan_replay(records, 5u, {}).empty());
}

TEST_CASE("build_round_ring gives the bytes the encoders publish") {
  Bytes original = encode_empty_ring(6);
  publish_slot(original, 0, 1, protocol::opcode::ATOMIC_ADD, std::vector<uint32_t>{3, 161});
  publish_slot(original, 4, 0, 0x12345, std::vector<uint32_t>{1, 2, 3, 4});
  const Bytes lm = encode_load_miss(7, false);
  std::copy(lm.begin(), lm.end(), original.begin() + 2 * protocol::SLOT_BYTES);
  ReplayLog log = ReplayLog::create(8);
  record_published(log, original, encode_control(false, 1, 0), 5);
  const auto plan = plan_replay(log.records(), {}, {});
  REQUIRE(plan.size() == 1);
  CHECK(build_round_ring(plan[0], 6) == original);
  CHECK_THROWS_WITH_AS(build_round_ring(plan[0], 4), doctest::Contains("slot index is outside the 4-slot replay ring"),
                       Error);
}

TEST_CASE("a replayed session ends with the session's buffers (reference interpreter, 60 seeded sessions)") {
  ReferenceRunner runner(64);
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    CAPTURE(seed);
    Session s = run_session(seed, runner);
    ReplayOptions options = starting_point(s);
    options.slot_count = s.max_slots;
    const auto plan = plan_replay(ReplayLog::parse(s.log.bytes()).records(), {}, {}, RoundSplit::Dispatch);
    DispatchBuffers last;
    const ReplayStream stream = run_replay(runner, plan, options, &last);
    CHECK(stream.rounds.size() == s.rounds);
    CHECK(last.control == s.end.control);
    CHECK(last.debug_log == s.end.debug_log);
    CHECK(last.io_queue == s.end.io_queue);
    CHECK(stream.epoch_mismatches() == 0);
    if (!stream.rounds.empty())
      CHECK(stream.rounds.back().observables.size() == s.end.control.size() / 4 - protocol::control::OBSERVABLE_BASE);
  }
}

TEST_CASE("the OpenCL device and the reference interpreter give equal streams for recorded sessions") {
  ReferenceRunner reference(64);
  auto device = make_pass_runner(BackendChoice{});
  for (uint32_t seed = 100; seed < 130; ++seed) {
    CAPTURE(seed);
    Session s = run_session(seed, reference);
    const ReplayOptions options = starting_point(s);
    const auto plan = plan_replay(s.log.records(), {}, {}, RoundSplit::Dispatch);
    const ReplayStream a = run_replay(reference, plan, options);
    const ReplayStream b = run_replay(*device, plan, options);
    REQUIRE(a.rounds.size() == b.rounds.size());
    for (size_t r = 0; r < a.rounds.size(); ++r) {
      CAPTURE(r);
      const ReplayRound &x = a.rounds[r], &y = b.rounds[r];
      CHECK(x.epoch_after == y.epoch_after);
      CHECK(x.done_count == y.done_count);
      CHECK(x.faults == y.faults);
      CHECK(x.statuses == y.statuses);
      CHECK(x.printf_records == y.printf_records);
      CHECK(x.observables == y.observables);
    }
  }
}

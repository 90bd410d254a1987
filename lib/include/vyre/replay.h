// Recording published slots into a VRRL0001 replay log and replaying them:
// the log is split into rounds (one ring per epoch, a new ring whenever a
// slot index repeats inside an epoch, because the host may only republish a
// slot after it drained), each round is dispatched on a backend with the
// control, debug-log and IO-queue buffers carried from the round before, and
// what the round left behind is the "observable stream". Two streams (two
// backends, two devices, or a stream saved earlier) are compared round by
// round.
//
// What VRRL0001 cannot carry: a record holds args 0..3 and no priority.
// Recording reports slots whose args 4..11 are not zero (packed slots with
// many argument words); replay publishes args 4..11 as zero, priority 2
// (normal) and LOAD_MISS at priority 0, as the encoders do.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vyre/dispatch.h"
#include "vyre/replay_log.h"

namespace vyre {

struct RecordSummary {
  uint64_t recorded = 0;
  uint32_t epoch = 0;
  // Records overwritten because the log wrapped while appending.
  uint64_t overwritten = 0;
  // Slots whose args 4..11 were not zero: the log keeps args 0..3 only.
  std::vector<uint32_t> truncated_slots;
};

// Appends one record per PUBLISHED slot of `ring` in slot order, stamped
// with the control's EPOCH (the epoch a publisher observes) and `timestamp_ns`.
RecordSummary record_published(ReplayLog& log, ByteSpan ring, ByteSpan control, uint64_t timestamp_ns);

// The log a recording appends to: the one at `path` when it exists (its own
// capacity kept), else a new one of `capacity` records.
ReplayLog load_or_create_log(const std::string& path, uint64_t capacity);

// Held from reading a log to writing it back, so that concurrent recordings
// into one log wait for each other instead of losing records: an exclusive
// flock on the log's directory (the log itself is replaced by rename, so
// its inode cannot carry the lock). Released when destroyed.
class RecordLock {
 public:
  explicit RecordLock(const std::string& log_path);
  ~RecordLock();
  RecordLock(const RecordLock&) = delete;
  RecordLock& operator=(const RecordLock&) = delete;

 private:
  int fd_ = -1;
};

// The capacity of a new log when none is asked for, sized to what is
// recorded: twice the slots the first dispatch publishes (room for a second
// dispatch like it before the log wraps), rounded up to a power of two, at
// least kMinRecordCapacity and at most MAX_REPLAY_RECORDS.
inline constexpr uint64_t kMinRecordCapacity = 1024;
uint64_t default_record_capacity(uint64_t published_slots);

// Nanoseconds since the Unix epoch: the stamp of a recording.
uint64_t wall_clock_ns();

struct ReplayRoundPlan {
  uint32_t epoch = 0;
  std::vector<RecordedSlot> slots;  // in log order
};

// Where one dispatch ends and the next begins. The log does not say, so:
// Epoch - a new round when the epoch changes or a slot index repeats (works
//   for any VRRL0001 log; two dispatches at one epoch on disjoint slots
//   become one round);
// Dispatch - also whenever the timestamp changes: `vyre dispatch --record`
//   stamps all records of one dispatch with one timestamp, so each recorded
//   dispatch becomes its own round (a log whose every record has its own
//   timestamp, as upstream's publisher writes, replays one slot per round).
enum class RoundSplit { Epoch, Dispatch };

// Records in replay order -> rounds, keeping epochs in [from, to].
std::vector<ReplayRoundPlan> plan_replay(std::span<const RecordedSlot> records, std::optional<uint32_t> from_epoch,
                                         std::optional<uint32_t> to_epoch, RoundSplit split = RoundSplit::Epoch);

// The ring of one round: `slot_count` slots, each recorded slot PUBLISHED.
// InvalidInput when a slot index is not below slot_count.
Bytes build_round_ring(const ReplayRoundPlan& round, uint32_t slot_count);

struct ReplayOptions {
  // Starting buffers; empty: what `vyre dispatch` uses by default (so a
  // replay of its recording starts where it did) - a control authorizing
  // `tenants` tenants with `observables` result words and EPOCH set to the
  // first round's epoch, a 64-record debug log, a 64-slot IO queue.
  Bytes control, debug_log, io_queue;
  uint32_t tenants = kDefaultTenants;
  uint32_t observables = kDefaultObservables;
  uint32_t slot_count = 0;  // 0: the largest recorded slot index + 1
  DispatchOptions dispatch;
  // Called after each round (progress display).
  std::function<void(size_t done, size_t total)> on_round;
};

struct ReplayRound {
  uint32_t index = 0;
  uint32_t recorded_epoch = 0;
  uint32_t epoch_before = 0, epoch_after = 0;
  uint32_t slots = 0;
  uint64_t first_timestamp_ns = 0;
  std::array<uint64_t, protocol::slot::FAULT + 1> statuses{};  // of the ring after the round
  uint32_t done_count = 0;  // control DONE_COUNT after the round
  uint32_t faults = 0;
  uint32_t printf_records = 0;  // debug-log cursor / 4 after the round
  std::vector<uint32_t> observables;
  double kernel_ms = 0, wall_ms = 0;
};

struct ReplayStream {
  std::string log;  // where the records came from
  RoundSplit split = RoundSplit::Epoch;
  // With RoundSplit::Epoch: how many rounds --rounds dispatch would make
  // (more means dispatches were merged; the text output says so).
  size_t dispatch_rounds = 0;
  uint64_t records_in_log = 0, records_replayed = 0;
  std::optional<uint32_t> from_epoch, to_epoch;
  uint32_t slot_count = 0;
  std::string backend, device;
  std::vector<ReplayRound> rounds;
  uint32_t epoch_mismatches() const;
};

// Dispatches every round on `runner`. The last buffers are left in `last`
// when it is not null.
ReplayStream run_replay(PassRunner& runner, const std::vector<ReplayRoundPlan>& plan, const ReplayOptions& options,
                        DispatchBuffers* last = nullptr);

}  // namespace vyre

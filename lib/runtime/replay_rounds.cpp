#include "vyre/slot_publish.h"
#include "vyre/replay.h"

#include <algorithm>
#include <unordered_set>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/ring.h"

namespace vyre {

namespace {
namespace ctl = protocol::control;
using detail::load_u32;
using detail::store_u32;
}  // namespace

std::vector<ReplayRoundPlan> plan_replay(std::span<const RecordedSlot> records, std::optional<uint32_t> from_epoch,
                                         std::optional<uint32_t> to_epoch, RoundSplit split) {
  std::vector<ReplayRoundPlan> rounds;
  std::unordered_set<uint32_t> used;
  for (const RecordedSlot& r : records) {
    if ((from_epoch && r.epoch < *from_epoch) || (to_epoch && r.epoch > *to_epoch)) continue;
    const bool new_dispatch = split == RoundSplit::Dispatch && !rounds.empty() &&
                              rounds.back().slots.back().timestamp_ns != r.timestamp_ns;
    if (rounds.empty() || rounds.back().epoch != r.epoch || used.contains(r.slot_idx) || new_dispatch) {
      rounds.push_back({r.epoch, {}});
      used.clear();
    }
    rounds.back().slots.push_back(r);
    used.insert(r.slot_idx);
  }
  return rounds;
}

Bytes build_round_ring(const ReplayRoundPlan& round, uint32_t slot_count) {
  Bytes ring = encode_empty_ring(slot_count);
  for (const RecordedSlot& r : round.slots) {
    if (r.slot_idx >= slot_count)
      throw Error::invalid_input("replay log record for slot " + std::to_string(r.slot_idx),
                                 "slot index is outside the " + std::to_string(slot_count) + "-slot replay ring",
                                 "pass --slot-count above the largest recorded slot index, or leave it out");
    // Written word by word, not through publish_slot: a recorded ring may
    // hold any opcode the original publisher wrote (system opcodes too).
    uint8_t* p = ring.data() + uint64_t{r.slot_idx} * protocol::SLOT_BYTES;
    store_u32(p + 4 * protocol::OPCODE_WORD, r.opcode);
    store_u32(p + 4 * protocol::TENANT_WORD, r.tenant_id);
    store_u32(p + 4 * protocol::PRIORITY_WORD, r.opcode == protocol::opcode::LOAD_MISS
                                                   ? protocol::slot::PRIORITY_CRITICAL
                                                   : protocol::slot::PRIORITY_NORMAL);
    for (uint32_t a = 0; a < protocol::replay::RECORD_ARGS; ++a) store_u32(p + 4 * (protocol::ARG0_WORD + a), r.args[a]);
    store_u32(p + 4 * protocol::STATUS_WORD, protocol::slot::PUBLISHED);
  }
  return ring;
}

uint32_t ReplayStream::epoch_mismatches() const {
  return static_cast<uint32_t>(
      std::count_if(rounds.begin(), rounds.end(), [](const ReplayRound& r) { return r.recorded_epoch != r.epoch_before; }));
}

ReplayStream run_replay(PassRunner& runner, const std::vector<ReplayRoundPlan>& plan, const ReplayOptions& options,
                        DispatchBuffers* last) {
  ReplayStream stream;
  uint32_t max_slot = 0;
  for (const auto& round : plan)
    for (const auto& r : round.slots) max_slot = std::max(max_slot, r.slot_idx);
  if (options.slot_count != 0) {
    stream.slot_count = options.slot_count;
  } else {
    if (max_slot == 0xFFFFFFFFu)
      throw Error::invalid_input("replay log", "a record names slot 4294967295; no ring can hold it",
                                 "check the log (vyre inspect --kind replay)");
    stream.slot_count = plan.empty() ? 1 : max_slot + 1;
  }
  if (!ring_byte_len(stream.slot_count) || stream.slot_count > protocol::MAX_ENCODED_RING_SLOTS)
    throw Error::invalid_input("replay ring", std::to_string(stream.slot_count) + " slots exceed the encoder cap of " +
                                                  std::to_string(protocol::MAX_ENCODED_RING_SLOTS),
                               "replay a log whose slot indices fit a 1,048,576-slot ring");

  DispatchBuffers start = default_dispatch_buffers(encode_empty_ring(stream.slot_count));
  if (!options.control.empty()) {
    start.control = options.control;
  } else {
    start.control = encode_control(false, options.tenants, options.observables);
    if (!plan.empty()) detail::write_word(start.control, ctl::EPOCH, plan.front().epoch);
  }
  if (!options.debug_log.empty()) start.debug_log = options.debug_log;
  if (!options.io_queue.empty()) start.io_queue = options.io_queue;
  const BufferNames names{"replay control", "replay ring", "replay debug log", "replay io queue"};
  CheckedBuffers checked(std::move(start), names);  // before the first round runs

  for (size_t i = 0; i < plan.size(); ++i) {
    const ReplayRoundPlan& p = plan[i];
    ReplayRound round;
    round.index = static_cast<uint32_t>(i);
    round.recorded_epoch = p.epoch;
    round.slots = static_cast<uint32_t>(p.slots.size());
    round.first_timestamp_ns = p.slots.front().timestamp_ns;
    round.epoch_before = read_epoch(checked.get().control);
    checked.bytes().ring = build_round_ring(p, stream.slot_count);  // the same size
    DispatchResult result = run_dispatch(runner, std::move(checked), options.dispatch);
    // The next round starts from what this one left: a dispatch's own output.
    checked = CheckedBuffers(std::move(result.buffers), names);
    const DispatchBuffers& buffers = checked.get();
    round.epoch_after = read_epoch(buffers.control);
    round.done_count = read_done_count(buffers.control);
    round.faults = result.faults;
    round.kernel_ms = result.timings.kernel_ms;
    round.wall_ms = result.timings.total_ms;
    round.printf_records = load_u32(buffers.debug_log.data()) / protocol::debug::RECORD_WORDS;
    round.statuses = count_statuses(buffers.ring).by_status;
    round.observables = decode_control(buffers.control).observables;
    stream.rounds.push_back(std::move(round));
    stream.records_replayed += p.slots.size();
    if (options.on_round) options.on_round(i + 1, plan.size());
  }
  stream.backend = runner.backend_name();
  stream.device = runner.device_name();
  if (last) *last = std::move(checked).take();
  return stream;
}

}  // namespace vyre

#include "vyre/replay.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <unordered_set>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/ring.h"
#include "vyre/json_document.h"
#include "vyre/ring_spec.h"

namespace vyre {

namespace {

namespace ctl = protocol::control;
using detail::load_u32;
using detail::store_u32;

// Status names in the order of protocol::slot values, as JSON keys.
std::string status_key(uint32_t s) { return std::string(*protocol::status_name(s)); }

}  // namespace

RecordSummary record_published(ReplayLog& log, ByteSpan ring, ByteSpan control, uint64_t timestamp_ns) {
  validate_ring_bytes(ring);
  RecordSummary summary;
  summary.epoch = read_epoch(control);
  const uint64_t live_before = log.records().size();
  const uint32_t slots = static_cast<uint32_t>(ring.size() / protocol::SLOT_BYTES);
  for (uint32_t s = 0; s < slots; ++s) {
    const SlotView v = decode_slot(ring, s);
    if (v.status != protocol::slot::PUBLISHED) continue;
    RecordedSlot r;
    r.timestamp_ns = timestamp_ns;
    r.slot_idx = s;
    r.tenant_id = v.tenant;
    r.opcode = v.opcode;
    std::copy_n(v.args.begin(), protocol::replay::RECORD_ARGS, r.args.begin());
    if (std::any_of(v.args.begin() + protocol::replay::RECORD_ARGS, v.args.end(), [](uint32_t a) { return a != 0; }))
      summary.truncated_slots.push_back(s);
    r.epoch = summary.epoch;
    log.append(r);
    ++summary.recorded;
  }
  const uint64_t fit = log.capacity() - std::min(log.capacity(), live_before);
  summary.overwritten = summary.recorded > fit ? summary.recorded - fit : 0;
  return summary;
}

ReplayLog load_or_create_log(const std::string& path, uint64_t capacity) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ReplayLog::create(capacity);
  try {
    return ReplayLog::parse(read_input(path));
  } catch (const Error& e) {
    throw e.with_context(path);
  }
}

uint64_t wall_clock_ns() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
}

nlohmann::json record_summary_json(const std::string& path, const RecordSummary& r) {
  return {{"log", path},
          {"recorded", r.recorded},
          {"epoch", r.epoch},
          {"overwritten", r.overwritten},
          {"truncated_slots", r.truncated_slots}};
}

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

  DispatchBuffers buffers = default_dispatch_buffers(encode_empty_ring(stream.slot_count));
  if (!options.control.empty()) {
    buffers.control = options.control;
  } else {
    buffers.control = encode_control(false, options.tenants, options.observables);
    if (!plan.empty()) detail::write_word(buffers.control, ctl::EPOCH, plan.front().epoch);
  }
  if (!options.debug_log.empty()) buffers.debug_log = options.debug_log;
  if (!options.io_queue.empty()) buffers.io_queue = options.io_queue;
  validate_dispatch_buffers(buffers, BufferNames{"replay control", "replay ring", "replay debug log", "replay io queue"});

  for (size_t i = 0; i < plan.size(); ++i) {
    const ReplayRoundPlan& p = plan[i];
    ReplayRound round;
    round.index = static_cast<uint32_t>(i);
    round.recorded_epoch = p.epoch;
    round.slots = static_cast<uint32_t>(p.slots.size());
    round.first_timestamp_ns = p.slots.front().timestamp_ns;
    round.epoch_before = read_epoch(buffers.control);
    buffers.ring = build_round_ring(p, stream.slot_count);
    DispatchResult result = run_dispatch(runner, std::move(buffers), options.dispatch);
    buffers = std::move(result.buffers);
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
  if (last) *last = std::move(buffers);
  return stream;
}

nlohmann::json replay_stream_json(const ReplayStream& s) {
  using nlohmann::json;
  json rounds = json::array();
  for (const ReplayRound& r : s.rounds) {
    json statuses = json::object();
    for (uint32_t st = 0; st < r.statuses.size(); ++st)
      if (r.statuses[st] != 0) statuses[status_key(st)] = r.statuses[st];
    rounds.push_back({{"round", r.index},
                      {"recorded_epoch", r.recorded_epoch},
                      {"epoch_before", r.epoch_before},
                      {"epoch_after", r.epoch_after},
                      {"slots", r.slots},
                      {"first_timestamp_ns", r.first_timestamp_ns},
                      {"statuses", statuses},
                      {"done_count", r.done_count},
                      {"faults", r.faults},
                      {"printf_records", r.printf_records},
                      {"observables", r.observables},
                      {"kernel_ms", r.kernel_ms},
                      {"wall_ms", r.wall_ms}});
  }
  return {{"log", s.log},
          {"rounds_split", s.split == RoundSplit::Epoch ? "epoch" : "dispatch"},
          {"records_in_log", s.records_in_log},
          {"records_replayed", s.records_replayed},
          {"from_epoch", s.from_epoch ? json(*s.from_epoch) : json(nullptr)},
          {"to_epoch", s.to_epoch ? json(*s.to_epoch) : json(nullptr)},
          {"slot_count", s.slot_count},
          {"backend", s.backend},
          {"device", s.device},
          {"epoch_mismatches", s.epoch_mismatches()},
          {"rounds", rounds}};
}

ReplayStream parse_replay_stream(std::string_view text, std::string_view source) {
  using nlohmann::json;
  const json doc = parse_json_document(text, source);
  const std::string src(source);
  const std::string fix = "pass a stream written by `vyre replay --json`";
  auto at = [&](const json& obj, const std::string& path, const char* key) -> const json& {
    if (!obj.is_object() || !obj.contains(key))
      throw Error::invalid_input(src + ": " + path, std::string("missing \"") + key + "\"", fix);
    return obj.at(key);
  };
  auto u64 = [&](const json& obj, const std::string& path, const char* key) -> uint64_t {
    const json& v = at(obj, path, key);
    if (!v.is_number_unsigned())
      throw Error::invalid_input(src + ": " + path + "." + key, "expected an unsigned integer", fix);
    return v.get<uint64_t>();
  };
  auto u32 = [&](const json& obj, const std::string& path, const char* key) -> uint32_t {
    const uint64_t v = u64(obj, path, key);
    if (v > 0xFFFFFFFFu) throw Error::invalid_input(src + ": " + path + "." + key, "value exceeds u32", fix);
    return static_cast<uint32_t>(v);
  };
  ReplayStream s;
  const json& rounds = at(doc, "$", "rounds");
  if (!rounds.is_array()) throw Error::invalid_input(src + ": $.rounds", "expected an array", fix);
  s.log = doc.value("log", std::string());
  s.backend = doc.value("backend", std::string());
  s.device = doc.value("device", std::string());
  s.slot_count = u32(doc, "$", "slot_count");
  s.records_in_log = u64(doc, "$", "records_in_log");
  s.records_replayed = u64(doc, "$", "records_replayed");
  for (size_t i = 0; i < rounds.size(); ++i) {
    const std::string path = "$.rounds[" + std::to_string(i) + "]";
    const json& j = rounds[i];
    ReplayRound r;
    r.index = static_cast<uint32_t>(i);
    r.recorded_epoch = u32(j, path, "recorded_epoch");
    r.epoch_before = u32(j, path, "epoch_before");
    r.epoch_after = u32(j, path, "epoch_after");
    r.slots = u32(j, path, "slots");
    r.done_count = u32(j, path, "done_count");
    r.faults = u32(j, path, "faults");
    r.printf_records = u32(j, path, "printf_records");
    const json& st = at(j, path, "statuses");
    if (!st.is_object()) throw Error::invalid_input(src + ": " + path + ".statuses", "expected an object", fix);
    for (const auto& [name, count] : st.items()) {
      const auto status = protocol::status_from_name(name);
      if (!status || !count.is_number_unsigned())
        throw Error::invalid_input(src + ": " + path + ".statuses." + name, "expected a status name with a count", fix);
      r.statuses[*status] = count.get<uint64_t>();
    }
    const json& obs = at(j, path, "observables");
    if (!obs.is_array()) throw Error::invalid_input(src + ": " + path + ".observables", "expected an array", fix);
    for (size_t k = 0; k < obs.size(); ++k) {
      if (!obs[k].is_number_unsigned() || obs[k].get<uint64_t>() > 0xFFFFFFFFu)
        throw Error::invalid_input(src + ": " + path + ".observables[" + std::to_string(k) + "]", "expected a u32", fix);
      r.observables.push_back(obs[k].get<uint32_t>());
    }
    s.rounds.push_back(std::move(r));
  }
  return s;
}

std::vector<StreamDifference> compare_replay_streams(const ReplayStream& a, const ReplayStream& b) {
  std::vector<StreamDifference> d;
  if (a.rounds.size() != b.rounds.size()) d.push_back({0, "rounds", a.rounds.size(), b.rounds.size()});
  const size_t n = std::min(a.rounds.size(), b.rounds.size());
  for (size_t i = 0; i < n; ++i) {
    const ReplayRound &x = a.rounds[i], &y = b.rounds[i];
    const auto round = static_cast<uint32_t>(i);
    auto field = [&](const char* name, uint64_t u, uint64_t v) {
      if (u != v) d.push_back({round, name, u, v});
    };
    field("recorded_epoch", x.recorded_epoch, y.recorded_epoch);
    field("slots", x.slots, y.slots);
    field("epoch_before", x.epoch_before, y.epoch_before);
    field("epoch_after", x.epoch_after, y.epoch_after);
    field("done_count", x.done_count, y.done_count);
    field("faults", x.faults, y.faults);
    field("printf_records", x.printf_records, y.printf_records);
    for (uint32_t st = 0; st < x.statuses.size(); ++st)
      if (x.statuses[st] != y.statuses[st]) d.push_back({round, "statuses." + status_key(st), x.statuses[st], y.statuses[st]});
    if (x.observables.size() != y.observables.size())
      d.push_back({round, "observables.length", x.observables.size(), y.observables.size()});
    for (size_t k = 0; k < std::min(x.observables.size(), y.observables.size()); ++k)
      if (x.observables[k] != y.observables[k])
        d.push_back({round, "observables[" + std::to_string(k) + "]", x.observables[k], y.observables[k]});
  }
  return d;
}

std::string replay_stream_text(const ReplayStream& s) {
  std::ostringstream out;
  out << "replay " << s.log << ": " << s.records_replayed << " of " << s.records_in_log << " records in "
      << s.rounds.size() << (s.rounds.size() == 1 ? " round" : " rounds") << ", ring of " << s.slot_count
      << " slots, backend " << s.backend << " (" << s.device << ")\n";
  if (s.rounds.empty()) return out.str();
  char line[160];
  std::snprintf(line, sizeof line, "%5s %10s %10s %7s %7s %6s %7s %7s  %s\n", "round", "epoch", "-> epoch", "slots",
                "done", "fault", "other", "printf", "observables (non-zero)");
  out << line;
  for (const ReplayRound& r : s.rounds) {
    const uint64_t other = r.slots - std::min<uint64_t>(r.slots, r.statuses[protocol::slot::DONE] +
                                                                       r.statuses[protocol::slot::FAULT]);
    std::snprintf(line, sizeof line, "%5u %10u %10u %7u %7llu %6llu %7llu %7u  ", r.index, r.epoch_before,
                  r.epoch_after, r.slots, static_cast<unsigned long long>(r.statuses[protocol::slot::DONE]),
                  static_cast<unsigned long long>(r.statuses[protocol::slot::FAULT]),
                  static_cast<unsigned long long>(other), r.printf_records);
    out << line;
    size_t shown = 0, nonzero = 0;
    for (size_t k = 0; k < r.observables.size(); ++k) {
      if (r.observables[k] == 0) continue;
      if (++nonzero <= 8) out << (shown++ ? " " : "") << "[" << k << "]=" << r.observables[k];
    }
    if (nonzero == 0) out << "-";
    if (nonzero > shown) out << " ... (" << nonzero - shown << " more)";
    if (r.recorded_epoch != r.epoch_before) out << "  (recorded at epoch " << r.recorded_epoch << ")";
    out << "\n";
  }
  if (s.split == RoundSplit::Epoch && s.dispatch_rounds > s.rounds.size())
    out << "note: some rounds hold records with different timestamps; if they came from separate `vyre dispatch "
           "--record` runs, --rounds dispatch replays them as "
        << s.dispatch_rounds << " rounds\n";
  if (const uint32_t m = s.epoch_mismatches())
    out << m << (m == 1 ? " round" : " rounds")
        << " started at an epoch other than the recorded one: the original run carried a control buffer this replay "
           "did not (pass it with --control), or the runs diverged\n";
  return out.str();
}

std::string stream_differences_text(const std::vector<StreamDifference>& diffs, const std::string& a_label,
                                    const std::string& b_label) {
  std::ostringstream out;
  if (diffs.empty()) {
    out << "observable streams equal: " << a_label << " and " << b_label << "\n";
    return out.str();
  }
  out << diffs.size() << (diffs.size() == 1 ? " difference" : " differences") << " between " << a_label << " and "
      << b_label << ":\n";
  for (const StreamDifference& d : diffs)
    out << "  round " << d.round << ": " << d.field << ": " << d.a.dump() << " vs " << d.b.dump() << "\n";
  return out.str();
}

nlohmann::json stream_differences_json(const std::vector<StreamDifference>& diffs, const std::string& other) {
  nlohmann::json list = nlohmann::json::array();
  for (const StreamDifference& d : diffs) list.push_back({{"round", d.round}, {"field", d.field}, {"this", d.a}, {"other", d.b}});
  return {{"other", other}, {"equal", diffs.empty()}, {"differences", list}};
}

}  // namespace vyre

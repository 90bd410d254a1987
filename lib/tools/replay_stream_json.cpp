#include "vyre/replay_stream.h"

#include "vyre/views.h"

#include "vyre/error.h"
#include "vyre/json_document.h"

namespace vyre {

nlohmann::json record_summary_json(const std::string& path, const RecordSummary& r) {
  return {{"log", path},
          {"recorded", r.recorded},
          {"epoch", r.epoch},
          {"overwritten", r.overwritten},
          {"truncated_slots", r.truncated_slots}};
}

nlohmann::json replay_stream_json(const ReplayStream& s) {
  using nlohmann::json;
  json rounds = json::array();
  for (const ReplayRound& r : s.rounds) {
    json statuses = json::object();
    for (uint32_t st = 0; st < r.statuses.size(); ++st)
      if (r.statuses[st] != 0) statuses[status_label(st)] = r.statuses[st];
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

}  // namespace vyre

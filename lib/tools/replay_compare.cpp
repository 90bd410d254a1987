#include "vyre/replay_stream.h"

#include "vyre/views.h"

#include <sstream>

namespace vyre {

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
      if (x.statuses[st] != y.statuses[st]) d.push_back({round, "statuses." + status_label(st), x.statuses[st], y.statuses[st]});
    if (x.observables.size() != y.observables.size())
      d.push_back({round, "observables.length", x.observables.size(), y.observables.size()});
    for (size_t k = 0; k < std::min(x.observables.size(), y.observables.size()); ++k)
      if (x.observables[k] != y.observables[k])
        d.push_back({round, "observables[" + std::to_string(k) + "]", x.observables[k], y.observables[k]});
  }
  return d;
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

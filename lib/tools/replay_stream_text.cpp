#include "vyre/replay_stream.h"

#include <sstream>

namespace vyre {

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

}  // namespace vyre

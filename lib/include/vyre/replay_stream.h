// The observable stream of a replay as the tools show and keep it: JSON
// (schemas/replay-stream.schema.json) and back, text, and the comparison of
// two streams; and the `record` section of a dispatch report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vyre/replay.h"

namespace vyre {

// The `record` section of a dispatch report.
nlohmann::json record_summary_json(const std::string& path, const RecordSummary& summary);

nlohmann::json replay_stream_json(const ReplayStream& stream);
// A stream saved by `vyre replay --json` (for --compare FILE); InvalidInput
// with the JSON path of what is wrong.
ReplayStream parse_replay_stream(std::string_view json_text, std::string_view source);

struct StreamDifference {
  uint32_t round = 0;
  std::string field;  // "epoch_after", "statuses.DONE", "observables[3]", "rounds"
  nlohmann::json a, b;
};

// Fields that must agree between two runs of one log: round count and
// recorded epochs, epoch_after, done_count, faults, statuses, printf_records
// and every observable word (timings and the debug log's record order may
// legitimately differ and are not compared).
std::vector<StreamDifference> compare_replay_streams(const ReplayStream& a, const ReplayStream& b);

std::string replay_stream_text(const ReplayStream& stream);
std::string stream_differences_text(const std::vector<StreamDifference>& diffs, const std::string& a_label,
                                    const std::string& b_label);
nlohmann::json stream_differences_json(const std::vector<StreamDifference>& diffs, const std::string& other);

}  // namespace vyre

// Rendering of the decoded buffer views: JSON documents (schemas/) and
// readable tables. inspect, decode-debug, dispatch reports and diff all use
// these, so the tools cannot disagree about a buffer.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "vyre/control.h"
#include "vyre/debug_log.h"
#include "vyre/format_table.h"
#include "vyre/io_queue.h"
#include "vyre/labels.h"
#include "vyre/replay_log.h"
#include "vyre/ring.h"

namespace vyre {

// Name of an opcode, or nullopt-like number: JSON string or number.
nlohmann::json opcode_json(uint32_t opcode);
nlohmann::json status_json(uint32_t status);
// Metric-slot label: the opcode name, or "opcode_<n>" for unnamed slots.
std::string metric_label(uint32_t slot);

nlohmann::json slot_json(const SlotView& slot);
nlohmann::json ring_json(const RingView& ring, bool all);
// {"EMPTY": n, ..., "FAULT": n, "other": n}
nlohmann::json status_counts_json(const RingView& ring);
nlohmann::json control_json(const ControlView& control);
nlohmann::json debug_log_json(const DebugLogView& log, const FormatTable* formats);
nlohmann::json io_slot_json(const IoSlotView& slot);
nlohmann::json io_queue_json(const IoQueueView& queue, bool all);
nlohmann::json replay_json(const ReplayLog& log);

std::string ring_text(const RingView& ring, bool all);
std::string control_text(const ControlView& control);
std::string debug_log_text(const DebugLogView& log, const FormatTable* formats);
std::string io_queue_text(const IoQueueView& queue, bool all);
std::string replay_text(const ReplayLog& log);

}  // namespace vyre

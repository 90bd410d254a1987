// Rendering of the decoded buffer views: JSON documents (schemas/) and
// readable tables. inspect, decode-debug, dispatch reports and diff all use
// these, so the tools cannot disagree about a buffer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "vyre/buffer_selection.h"
#include "vyre/control.h"
#include "vyre/debug_log.h"
#include "vyre/format_table.h"
#include "vyre/io_queue.h"
#include "vyre/labels.h"
#include "vyre/replay_log.h"
#include "vyre/ring.h"

namespace vyre {

// The records to show: a range of indices (--records), or every record.
using RecordRange = std::optional<IndexRange>;

// Name of an opcode, or nullopt-like number: JSON string or number.
nlohmann::json opcode_json(uint32_t opcode);
nlohmann::json status_json(uint32_t status);
// Metric-slot label: the opcode name, or "opcode_<n>" for unnamed slots.
std::string metric_label(uint32_t slot);

nlohmann::json slot_json(const SlotView& slot);
// slot_json(slot).dump(), written without building the JSON value (the
// lines of `vyre inspect --json-lines` for a million slots).
std::string slot_json_line(const SlotView& slot);
// {"EMPTY": n, ..., "FAULT": n, "other": n}
nlohmann::json status_counts_json(const StatusCounts& counts);
nlohmann::json status_counts_json(const RingView& ring);
nlohmann::json control_json(const ControlView& control);
nlohmann::json io_slot_json(const IoSlotView& slot);

// Documents (schemas/inspect-<kind>.schema.json) and tables of the slots or
// records a selection picked (buffer_selection.h): ring and IO queue
// headers count every slot, the lists hold the slots given. The *_json_lines
// forms print the objects of the document's "slots" or "records" array, one
// compact object per line.
nlohmann::json ring_json(ByteSpan ring, std::span<const uint32_t> slots);
std::string ring_text(ByteSpan ring, std::span<const uint32_t> slots);
std::string ring_json_lines(ByteSpan ring, std::span<const uint32_t> slots);
nlohmann::json io_queue_json(const IoQueueView& queue, std::span<const uint32_t> slots);
std::string io_queue_text(const IoQueueView& queue, std::span<const uint32_t> slots);
std::string io_queue_json_lines(const IoQueueView& queue, std::span<const uint32_t> slots);
nlohmann::json debug_log_json(const DebugLogView& log, const FormatTable* formats, RecordRange records = {});
std::string debug_log_text(const DebugLogView& log, const FormatTable* formats, RecordRange records = {});
std::string debug_log_json_lines(const DebugLogView& log, const FormatTable* formats, RecordRange records = {});
// The note for stderr when the log overflowed ("SOURCE: log overflowed: N
// record(s) dropped after the C-record capacity"), or nullopt.
std::optional<std::string> debug_log_overflow_note(const DebugLogView& log, std::string_view source);
nlohmann::json replay_json(const ReplayLog& log, RecordRange records = {});
std::string replay_text(const ReplayLog& log, RecordRange records = {});
std::string replay_json_lines(const ReplayLog& log, RecordRange records = {});

std::string control_text(const ControlView& control);

}  // namespace vyre

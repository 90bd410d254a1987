// `vyre report`: one self-contained HTML page about a dispatch, from the
// buffers `vyre dispatch --out-dir` wrote and its JSON report: the ring map
// (slot_map.h), status and metric bars, observables, faults, PRINTF records
// and IO requests. No scripts, no styles or images from elsewhere: the page
// loads nothing, so it can be mailed, attached to a CI run or opened offline.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <array>

#include "vyre/dispatch_buffers.h"
#include "vyre/file_io.h"
#include "vyre/format_table.h"

namespace vyre {

struct DispatchPage {
  std::string title;         // the out-dir as the user named it
  // control.bin, ring.bin, debug_log.bin, io_queue.bin, in binding order
  std::array<InputBytes, 4> buffers;
  // The dispatch report (schemas/dispatch-report.schema.json), when there is
  // one: backend, device, timings, serviced IO requests.
  std::optional<nlohmann::json> report;
  std::string report_name;   // where the report came from, for the page
};

// Reads the four buffer files of `out_dir` (each checked as its kind, errors
// naming the file) and the report: `report_path` when given, else
// OUT_DIR/report.json when it exists. A report that is not a dispatch
// report (no "backend" or "timings", a field of the wrong type) is
// InvalidInput naming the file and the JSON path.
DispatchPage load_dispatch_page(const std::string& out_dir, const std::string& report_path);

// The page. `formats` renders PRINTF records as text (may be null).
std::string dispatch_page_html(const DispatchPage& page, const FormatTable* formats);

}  // namespace vyre

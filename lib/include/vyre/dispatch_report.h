// The JSON report of a dispatch (schemas/dispatch-report.schema.json), built
// from the same decoded views as `vyre inspect`.
#pragma once

#include <nlohmann/json.hpp>

#include "vyre/dispatch.h"

namespace vyre {

// `total_ms`: what the user waited for, from the inputs in memory to the
// buffers back (run_dispatch's own clock starts after the device and build).
nlohmann::json dispatch_report_json(const DispatchResult& result, const DispatchOptions& options, double total_ms);

}  // namespace vyre

// The JSON report of a dispatch (schemas/dispatch-report.schema.json), built
// from the same decoded views as `vyre inspect`.
#pragma once

#include <nlohmann/json.hpp>

#include "vyre/dispatch.h"

namespace vyre {

nlohmann::json dispatch_report_json(const DispatchResult& result, const DispatchOptions& options);

}  // namespace vyre

// The flags vyre dispatch, vyre bench and vyre replay share, declared
// straight into the library's DispatchInputs.
#pragma once

#include "cli_common.h"
#include "vyre/dispatch_job.h"

namespace vyre::cli {

// With `with_ring`, also --ring and --ring-spec (exactly one is required).
void add_dispatch_flags(CLI::App& cmd, DispatchInputs& inputs, bool with_ring);

}  // namespace vyre::cli

// The flags vyre dispatch, vyre bench and vyre replay share, declared
// straight into the library's DispatchInputs.
#pragma once

#include "cli_common.h"
#include "vyre/dispatch_job.h"

namespace vyre::cli {

// With `with_ring`, also --ring and --ring-spec (exactly one is required).
void add_dispatch_flags(CLI::App& cmd, DispatchInputs& inputs, bool with_ring);

// $VYRE_SERVER when no --server was given (an OpenCL run; a fixed socket
// only without --device; never with `local_only`, such as --guard-bytes),
// and $VYRE_SERVER_IDLE_EXIT for a server that "auto" starts.
void apply_server_environment(DispatchInputs& inputs, bool local_only);

}  // namespace vyre::cli

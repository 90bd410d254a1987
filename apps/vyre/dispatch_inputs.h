// The options vyre dispatch, vyre bench and vyre replay share: the buffers a
// dispatch starts from (files named in errors), the backend and device, and
// how the dispatch runs.
#pragma once

#include <stop_token>
#include <string>

#include "cli_common.h"
#include "vyre/backend.h"
#include "vyre/dispatch.h"

namespace vyre::cli {

struct DispatchInputs {
  std::string ring, ring_spec, control, debug_log, io_queue, resources, backend = "opencl", device, mode = "once";
  uint32_t max_iterations = 1, workgroup_size = 0;
  bool no_cache = false;
  CLI::Option *ring_option = nullptr, *spec_option = nullptr;
};

// With `with_ring`, also --ring and --ring-spec (one of them required).
void add_dispatch_inputs(CLI::App& cmd, DispatchInputs& in, bool with_ring);

// The ring (from --ring or --ring-spec) and the other buffers given, the
// defaults for the rest, validated with their file names.
DispatchBuffers load_dispatch_buffers(const DispatchInputs& in);
// Refuses two of the inputs reading stdin.
void check_dispatch_stdin(const DispatchInputs& in);
// One starting buffer (--control etc.); empty when not given.
Bytes load_optional_buffer(const std::string& path, const char* kind);
std::string ring_display_name(const DispatchInputs& in);

DispatchOptions dispatch_options(const DispatchInputs& in, std::stop_token stop);
BackendChoice backend_choice(const DispatchInputs& in, uint32_t guard_bytes = 0);

}  // namespace vyre::cli

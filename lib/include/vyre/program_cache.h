// Compiled OpenCL programs cached on disk, keyed by platform, device, driver
// version, build options and kernel source, so a second run does not
// recompile. Cache directory: $VYRE_CACHE_DIR, else $XDG_CACHE_HOME/vyre,
// else ~/.cache/vyre. A damaged or stale entry is rebuilt, never fatal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vyre/opencl.h"
#include "vyre/opencl_device.h"

namespace vyre {

struct BuiltProgram {
  cl::Program program;
  bool cache_hit = false;
  double build_ms = 0;
};

std::string program_cache_dir();

// `#line LINE "FILE"` and a newline: the compiler's messages then name the
// user's file and its own lines (the name's quotes and backslashes escaped).
std::string line_directive(uint32_t line, std::string_view file);

// Whose source a build compiles, for its error: "the megakernel" and a fix
// for the project's own kernels, "the tasklet t.cl" and "fix the errors
// above" for a user's file.
struct ProgramOrigin {
  std::string what;
  std::string fix;
};

// Builds `source` for the device (from the cache unless `use_cache` is
// false). A failed build throws Backend naming `origin.what`, with the
// compiler's build log.
BuiltProgram build_program(const cl::Context& context, const SelectedDevice& device, const std::string& source,
                           const std::string& options, bool use_cache, const ProgramOrigin& origin);

}  // namespace vyre

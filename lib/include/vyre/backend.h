// The backends a dispatch runs on: the OpenCL megakernel (on a device as
// `vyre devices` lists it) or the CPU reference interpreter. Shared by
// dispatch, replay and bench so each names and makes backends the same way.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vyre/dispatch.h"
#include "vyre/opencl_dispatch.h"

namespace vyre {

enum class Backend { OpenCl, Reference };

// "opencl" or "reference", as reports and options write it.
std::string_view backend_name(Backend backend);

struct BackendChoice {
  Backend backend = Backend::OpenCl;
  OpenClOptions opencl;  // device, cache, work-group size, guards (the
                         // reference interpreter uses the work-group size)
  // A `vyre serve` socket to run on instead of a device of this process,
  // and that server's log file when known (remote_runner.h).
  std::string server, server_log;
  // `opencl` or `opencl:1:0`: the display form used in reports.
  std::string label() const;
};

// "reference", "opencl" or "opencl:SELECTOR"; InvalidInput naming `where`
// otherwise.
BackendChoice parse_backend_spec(std::string_view spec, std::string_view where);

std::unique_ptr<PassRunner> make_pass_runner(const BackendChoice& choice);

}  // namespace vyre

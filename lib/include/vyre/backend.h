// Choosing a backend by name: `reference` (the CPU interpreter), `opencl`,
// or `opencl:SELECTOR` (a device as `vyre devices` lists it). Shared by
// dispatch, replay and bench so each names backends the same way.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vyre/dispatch.h"
#include "vyre/opencl_dispatch.h"

namespace vyre {

struct BackendChoice {
  std::string backend = "opencl";  // "opencl" or "reference"
  OpenClOptions opencl;            // device, cache, work-group size, guards
  // `opencl` or `opencl:1:0`: the display form used in reports.
  std::string label() const;
};

// "reference", "opencl" or "opencl:SELECTOR"; InvalidInput naming `where`
// otherwise.
BackendChoice parse_backend_spec(std::string_view spec, std::string_view where);

std::unique_ptr<PassRunner> make_pass_runner(const BackendChoice& choice);

}  // namespace vyre

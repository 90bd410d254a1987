#include "vyre/backend.h"

#include "vyre/error.h"
#include "vyre/reference_interpreter.h"

namespace vyre {

std::string BackendChoice::label() const {
  if (backend == "opencl" && !opencl.device_selector.empty()) return backend + ":" + opencl.device_selector;
  return backend;
}

BackendChoice parse_backend_spec(std::string_view spec, std::string_view where) {
  BackendChoice c;
  if (spec == "reference" || spec == "opencl") {
    c.backend = std::string(spec);
  } else if (spec.starts_with("opencl:") && spec.size() > 7) {
    c.backend = "opencl";
    c.opencl.device_selector = std::string(spec.substr(7));
  } else {
    throw Error::invalid_input(std::string(where), "unknown backend `" + std::string(spec) + "`",
                               "use reference, opencl, or opencl:DEVICE (a selector from `vyre devices`)");
  }
  return c;
}

std::unique_ptr<PassRunner> make_pass_runner(const BackendChoice& c) {
  if (c.backend == "reference")
    return std::make_unique<ReferenceRunner>(c.opencl.workgroup_size ? c.opencl.workgroup_size : 256);
  return std::make_unique<OpenClRunner>(c.opencl);
}

}  // namespace vyre

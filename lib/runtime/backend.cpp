#include "vyre/backend.h"

#include "vyre/remote_runner.h"

#include "vyre/error.h"
#include "vyre/reference_interpreter.h"

namespace vyre {

std::string_view backend_name(Backend backend) { return backend == Backend::Reference ? "reference" : "opencl"; }

std::string BackendChoice::label() const {
  std::string out(backend_name(backend));
  if (backend == Backend::OpenCl && !opencl.device_selector.empty()) out += ":" + opencl.device_selector;
  return out;
}

BackendChoice parse_backend_spec(std::string_view spec, std::string_view where) {
  BackendChoice c;
  if (spec == "reference") {
    c.backend = Backend::Reference;
  } else if (spec == "opencl") {
    c.backend = Backend::OpenCl;
  } else if (spec.starts_with("opencl:") && spec.size() > 7) {
    c.backend = Backend::OpenCl;
    c.opencl.device_selector = std::string(spec.substr(7));
  } else {
    throw Error::invalid_input(std::string(where), "unknown backend `" + std::string(spec) + "`",
                               "use reference, opencl, or opencl:DEVICE (a selector from `vyre devices`)");
  }
  return c;
}

std::unique_ptr<PassRunner> make_pass_runner(const BackendChoice& c) {
  if (c.backend == Backend::Reference && !c.opencl.opcodes.empty())
    throw Error::usage("the reference interpreter cannot run the OpenCL C bodies of " + c.opencl.opcodes.name(),
                       "use an OpenCL device, such as PoCL on a machine without a GPU (--backend opencl)");
  if (c.backend == Backend::Reference)
    return std::make_unique<ReferenceRunner>(c.opencl.workgroup_size ? c.opencl.workgroup_size : 256);
  if (!c.server.empty()) return std::make_unique<RemoteRunner>(c.server, c.opencl, c.server_log);
  return std::make_unique<OpenClRunner>(c.opencl);
}

}  // namespace vyre

#include "vyre/opencl_device.h"

#include <cstdlib>

#include "vyre/error.h"

namespace vyre {

namespace {

std::string type_name(cl_device_type t) {
  if (t & CL_DEVICE_TYPE_GPU) return "GPU";
  if (t & CL_DEVICE_TYPE_CPU) return "CPU";
  if (t & CL_DEVICE_TYPE_ACCELERATOR) return "accelerator";
  return "other";
}

std::vector<cl::Platform> platforms() {
  std::vector<cl::Platform> out;
  try {
    cl::Platform::get(&out);
  } catch (const cl::Error&) {
    out.clear();  // the ICD loader reports "no platform" as an error
  }
  return out;
}

std::vector<cl::Device> devices_of(const cl::Platform& p) {
  std::vector<cl::Device> out;
  try {
    p.getDevices(CL_DEVICE_TYPE_ALL, &out);
  } catch (const cl::Error&) {
    out.clear();
  }
  return out;
}

DeviceInfo info_of(const cl::Platform& p, const cl::Device& d, uint32_t pi, uint32_t di) {
  DeviceInfo i;
  i.platform_index = pi;
  i.device_index = di;
  i.platform = p.getInfo<CL_PLATFORM_NAME>();
  i.name = d.getInfo<CL_DEVICE_NAME>();
  i.vendor = d.getInfo<CL_DEVICE_VENDOR>();
  i.version = d.getInfo<CL_DEVICE_VERSION>();
  i.driver_version = d.getInfo<CL_DRIVER_VERSION>();
  i.type = type_name(d.getInfo<CL_DEVICE_TYPE>());
  i.compute_units = d.getInfo<CL_DEVICE_MAX_COMPUTE_UNITS>();
  i.max_workgroup_size = static_cast<uint32_t>(d.getInfo<CL_DEVICE_MAX_WORK_GROUP_SIZE>());
  i.clock_mhz = d.getInfo<CL_DEVICE_MAX_CLOCK_FREQUENCY>();
  i.global_mem_bytes = d.getInfo<CL_DEVICE_GLOBAL_MEM_SIZE>();
  i.local_mem_bytes = d.getInfo<CL_DEVICE_LOCAL_MEM_SIZE>();
  i.max_alloc_bytes = d.getInfo<CL_DEVICE_MAX_MEM_ALLOC_SIZE>();
  // Trailing NULs and spaces appear in some drivers' strings.
  for (std::string* s : {&i.platform, &i.name, &i.vendor, &i.version, &i.driver_version})
    while (!s->empty() && (s->back() == '\0' || s->back() == ' ')) s->pop_back();
  return i;
}

const char* kNoPlatformFix =
    "install an OpenCL driver: pocl-opencl-icd for the CPU (scripts/bootstrap.sh installs it), or point "
    "OCL_ICD_FILENAMES at a GPU driver's ICD library";

}  // namespace

std::string describe_cl_error(const cl::Error& e) {
  return std::string(e.what()) + " failed with OpenCL error " + std::to_string(e.err());
}

std::vector<DeviceInfo> list_devices() {
  std::vector<DeviceInfo> out;
  const auto ps = platforms();
  for (uint32_t pi = 0; pi < ps.size(); ++pi) {
    const auto ds = devices_of(ps[pi]);
    for (uint32_t di = 0; di < ds.size(); ++di) out.push_back(info_of(ps[pi], ds[di], pi, di));
  }
  return out;
}

SelectedDevice select_device(const std::string& requested) {
  std::string selector = requested;
  if (selector.empty())
    if (const char* env = std::getenv("VYRE_DEVICE")) selector = env;
  const auto ps = platforms();
  std::vector<SelectedDevice> all;
  for (uint32_t pi = 0; pi < ps.size(); ++pi) {
    const auto ds = devices_of(ps[pi]);
    for (uint32_t di = 0; di < ds.size(); ++di) all.push_back({ps[pi], ds[di], info_of(ps[pi], ds[di], pi, di)});
  }
  if (all.empty()) throw Error::backend(std::string("no OpenCL device found. Fix: ") + kNoPlatformFix);
  if (selector.empty()) {
    for (const auto& d : all)
      if (d.info.type == "GPU") return d;
    return all.front();
  }
  for (const auto& d : all)
    if (d.info.selector() == selector) return d;
  for (const auto& d : all)
    if (d.info.name.find(selector) != std::string::npos || d.info.platform.find(selector) != std::string::npos)
      return d;
  std::string list;
  for (const auto& d : all) list += " " + d.info.selector() + " (" + d.info.name + ", " + d.info.platform + ");";
  throw Error::invalid_input("--device " + selector, "no OpenCL device matches",
                             "use platform:device or a name substring of one of:" + list);
}

}  // namespace vyre

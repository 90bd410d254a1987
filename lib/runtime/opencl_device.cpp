#include "vyre/opencl_device.h"

#include <cstdio>
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
  // Only the chosen device's limits are queried: a one-shot dispatch should
  // not pay for describing every device of every platform.
  if (selector.empty()) {
    for (uint32_t pi = 0; pi < ps.size(); ++pi) {
      std::vector<cl::Device> gpus;
      try {
        ps[pi].getDevices(CL_DEVICE_TYPE_GPU, &gpus);
      } catch (const cl::Error&) {
        gpus.clear();  // CL_DEVICE_NOT_FOUND
      }
      if (gpus.empty()) continue;
      const auto all = devices_of(ps[pi]);
      for (uint32_t di = 0; di < all.size(); ++di)
        if (all[di]() == gpus.front()()) return {ps[pi], all[di], info_of(ps[pi], all[di], pi, di)};
    }
    for (uint32_t pi = 0; pi < ps.size(); ++pi) {
      const auto all = devices_of(ps[pi]);
      if (!all.empty()) return {ps[pi], all.front(), info_of(ps[pi], all.front(), pi, 0)};
    }
    throw Error::backend("no OpenCL device found", kNoPlatformFix);
  }
  unsigned pi_sel = 0, di_sel = 0;
  char colon = 0;
  if (std::sscanf(selector.c_str(), "%u%c%u", &pi_sel, &colon, &di_sel) == 3 && colon == ':' &&
      selector == std::to_string(pi_sel) + ":" + std::to_string(di_sel) && pi_sel < ps.size()) {
    const auto all = devices_of(ps[pi_sel]);
    if (di_sel < all.size()) return {ps[pi_sel], all[di_sel], info_of(ps[pi_sel], all[di_sel], pi_sel, di_sel)};
  }
  std::string list;
  for (uint32_t pi = 0; pi < ps.size(); ++pi) {
    const auto all = devices_of(ps[pi]);
    for (uint32_t di = 0; di < all.size(); ++di) {
      DeviceInfo info = info_of(ps[pi], all[di], pi, di);
      if (info.name.find(selector) != std::string::npos || info.platform.find(selector) != std::string::npos)
        return {ps[pi], all[di], std::move(info)};
      list += " " + info.selector() + " (" + info.name + ", " + info.platform + ");";
    }
  }
  if (list.empty()) throw Error::backend("no OpenCL device found", kNoPlatformFix);
  throw Error::invalid_input("--device " + selector, "no OpenCL device matches",
                             "use platform:device or a name substring of one of:" + list);
}

}  // namespace vyre

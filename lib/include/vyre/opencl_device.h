// OpenCL devices: listing them with their limits, and choosing one by
// `platform:device` index, name substring, the VYRE_DEVICE environment
// variable, or by default the first GPU else the first device.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vyre/opencl.h"

namespace vyre {

struct DeviceInfo {
  uint32_t platform_index = 0, device_index = 0;
  std::string platform, name, vendor, version, driver_version, type;
  uint32_t compute_units = 0, max_workgroup_size = 0, clock_mhz = 0;
  uint64_t global_mem_bytes = 0, local_mem_bytes = 0, max_alloc_bytes = 0;
  std::string selector() const { return std::to_string(platform_index) + ":" + std::to_string(device_index); }
  // "NAME (PLATFORM)": how reports and benchmarks name the device.
  std::string label() const { return name + " (" + platform + ")"; }
};

std::vector<DeviceInfo> list_devices();

struct SelectedDevice {
  cl::Platform platform;
  cl::Device device;
  DeviceInfo info;
};

// `selector` empty: VYRE_DEVICE, else the first GPU, else the first device.
// Throws InvalidInput (no match, with the list of devices) or Backend (no
// OpenCL platform at all).
SelectedDevice select_device(const std::string& selector);

}  // namespace vyre

// The one place that configures OpenCL-CLHPP: OpenCL 1.2 everywhere, so the
// same host code drives NVIDIA's driver and PoCL.
#pragma once

#define CL_HPP_TARGET_OPENCL_VERSION 120
#define CL_HPP_MINIMUM_OPENCL_VERSION 120
#define CL_HPP_ENABLE_EXCEPTIONS
#include <CL/opencl.hpp>

#include <string>

namespace vyre {
// "clBuildProgram failed (CL_BUILD_PROGRAM_FAILURE, -11)"
std::string describe_cl_error(const cl::Error& e);
}  // namespace vyre

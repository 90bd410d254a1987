// The floor of a one-shot dispatch's device_ms: a process that only finds
// the platforms, takes device P:D, and creates a context and a profiling
// queue on it, timed with the same clock over the same calls. Prints
// {"context_ms": X}. Used by bench/one_shot.sh, one fresh process a sample.
//   bare_context P:D
#include <CL/cl.h>

#include <chrono>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  unsigned p = 0, d = 0;
  if (argc != 2 || std::sscanf(argv[1], "%u:%u", &p, &d) != 2) {
    std::fprintf(stderr, "usage: bare_context PLATFORM:DEVICE (as vyre devices lists them)\n");
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  cl_uint n = 0;
  if (clGetPlatformIDs(0, nullptr, &n) != CL_SUCCESS || p >= n) return std::fprintf(stderr, "no platform %u\n", p), 2;
  std::vector<cl_platform_id> platforms(n);
  clGetPlatformIDs(n, platforms.data(), nullptr);
  cl_uint nd = 0;
  if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, nullptr, &nd) != CL_SUCCESS || d >= nd)
    return std::fprintf(stderr, "no device %u:%u\n", p, d), 2;
  std::vector<cl_device_id> devices(nd);
  clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, nd, devices.data(), nullptr);
  cl_int err = CL_SUCCESS;
  cl_context context = clCreateContext(nullptr, 1, &devices[d], nullptr, nullptr, &err);
  if (err != CL_SUCCESS) return std::fprintf(stderr, "clCreateContext: %d\n", err), 2;
  cl_command_queue queue = clCreateCommandQueue(context, devices[d], CL_QUEUE_PROFILING_ENABLE, &err);
  if (err != CL_SUCCESS) return std::fprintf(stderr, "clCreateCommandQueue: %d\n", err), 2;
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"context_ms\": %.3f}\n", ms);
  clReleaseCommandQueue(queue);
  clReleaseContext(context);
  return 0;
}

// Dispatch of 1,048,576-slot rings (all NOP; mixed STORE_U32 / ATOMIC_ADD /
// PRINTF; packed) on an OpenCL device: kernel time from profiling events,
// slots per second, and the ratio to the floor set by the bytes the kernel
// must move (the ring read once, the status words written) at the device
// bandwidth measured in the same run by a device-to-device copy.
//
//   bench/dispatch_perftest [--device SEL] [--slots N] [--reps N] [--workgroup-size N]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "vyre/ring_encoder.h"
#include "vyre/packed_slot.h"
#include "vyre/opencl_dispatch.h"
#include "vyre/program_cache.h"
#include "vyre/reference_interpreter.h"
#include "vyre/ring.h"

using namespace vyre;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Device-to-device copy bandwidth, counting bytes read plus bytes written.
double copy_bandwidth_gbs(const SelectedDevice& d, size_t bytes, int reps) {
  cl::Context ctx(d.device);
  cl::CommandQueue q(ctx, d.device, CL_QUEUE_PROFILING_ENABLE);
  cl::Buffer a(ctx, CL_MEM_READ_WRITE, bytes), b(ctx, CL_MEM_READ_WRITE, bytes);
  const uint8_t zero = 0;
  q.enqueueFillBuffer(a, zero, 0, bytes);
  q.enqueueFillBuffer(b, zero, 0, bytes);
  q.finish();
  double best = 1e30;
  for (int r = 0; r < reps + 1; ++r) {
    cl::Event e;
    q.enqueueCopyBuffer(a, b, 0, 0, bytes, nullptr, &e);
    e.wait();
    const double s = (e.getProfilingInfo<CL_PROFILING_COMMAND_END>() - e.getProfilingInfo<CL_PROFILING_COMMAND_START>()) / 1e9;
    if (r > 0) best = std::min(best, s);  // the first copy warms up
  }
  return 2.0 * bytes / best / 1e9;
}

Bytes make_ring(const std::string& kind, uint32_t slots) {
  std::vector<SlotWrite> w(slots);
  for (uint32_t s = 0; s < slots; ++s) {
    w[s].slot = s;
    if (kind == "nop") {
      w[s].opcode = protocol::opcode::NOP;
    } else if (kind == "mixed") {
      switch (s % 3) {
        case 0: w[s] = {s, 0, protocol::opcode::STORE_U32, 2, {s, 160 + (s & 15)}}; break;
        case 1: w[s] = {s, 0, protocol::opcode::ATOMIC_ADD, 2, {1, 176 + (s & 15)}}; break;
        default: w[s] = {s, 0, protocol::opcode::PRINTF, 3, {7, s, s * 3}}; break;
      }
    } else {  // packed: STORE, ATOMIC_ADD, NOP in one slot
      const auto args = pack_slot_args(std::vector<PackedOp>{
          {protocol::opcode::STORE_U32, {s, 160 + (s & 15), 0}}, {protocol::opcode::ATOMIC_ADD, {1, 176 + (s & 15), 0}},
          {protocol::opcode::NOP, {0, 0}}});
      w[s].opcode = protocol::opcode::PACKED_SLOT;
      w[s].arg_count = static_cast<uint32_t>(args.size());
      std::copy(args.begin(), args.end(), w[s].args.begin());
    }
  }
  Bytes ring;
  encode_ring_into(slots, w, ring);
  return ring;
}

}  // namespace

int main(int argc, char** argv) {
  std::string selector;
  uint32_t slots = 1'048'576;
  int reps = 20;
  uint32_t workgroup = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--device")) selector = argv[i + 1];
    if (!std::strcmp(argv[i], "--slots")) slots = static_cast<uint32_t>(std::strtoul(argv[i + 1], nullptr, 10));
    if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--workgroup-size")) workgroup = static_cast<uint32_t>(std::strtoul(argv[i + 1], nullptr, 10));
  }
  try {
    OpenClOptions options;
    options.device_selector = selector;
    options.workgroup_size = workgroup;
    OpenClRunner runner(options);
    const SelectedDevice dev = select_device(selector);
    if (std::getenv("VYRE_SHOW_BUILD_LOG")) std::printf("build log:\n%s\n", runner.build_log().c_str());
    const double bw = copy_bandwidth_gbs(dev, size_t{slots} * protocol::SLOT_BYTES, reps);
    const double floor_bytes = double(slots) * (protocol::SLOT_BYTES + 4);
    const double floor_ms = floor_bytes / (bw * 1e9) * 1e3;
    std::printf("vyre dispatch kernel, %u slots, device: %s, work-group %u, median of %d launches\n", slots,
                runner.device_name().c_str(), runner.workgroup_size(), reps);
    std::printf("device-to-device copy bandwidth (read + write): %.1f GB/s; floor = %.1f MB moved = %.3f ms\n", bw,
                floor_bytes / 1e6, floor_ms);
    std::printf("%-8s %12s %12s %14s %10s\n", "ring", "kernel ms", "min ms", "Mslots/s", "x floor");
    for (const std::string kind : {"nop", "mixed", "packed"}) {
      const DispatchBuffers base = default_dispatch_buffers(make_ring(kind, slots));
      std::vector<double> times;
      for (int r = 0; r < reps + 1; ++r) {
        DispatchBuffers b = base;  // every launch starts from the freshly published ring
        DispatchTimings t;
        std::array<uint32_t, stats::WORDS> st{};
        runner.begin(b, DispatchOptions{}, t);
        runner.launch(1, st, b, t);
        if (r == 0) {  // check the first run against the reference, untimed
          runner.end(b, t);
          DispatchBuffers ref = base;
          std::array<uint32_t, stats::WORDS> rst{};
          reference_pass(ref, rst, runner.workgroup_size());
          if (read_done_count(b.control) != read_done_count(ref.control) || b.ring != ref.ring) {
            std::fprintf(stderr, "%s: device result differs from the reference interpreter\n", kind.c_str());
            return 1;
          }
          continue;
        }
        times.push_back(t.kernel_ms);
      }
      const double med = median(times), best = *std::min_element(times.begin(), times.end());
      std::printf("%-8s %12.3f %12.3f %14.1f %10.2f\n", kind.c_str(), med, best, slots / (med / 1e3) / 1e6, med / floor_ms);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dispatch_perftest: %s\n", e.what());
    return 2;
  }
  return 0;
}

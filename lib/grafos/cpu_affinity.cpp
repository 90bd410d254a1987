#include "grafos/cpu_affinity.h"

#include <algorithm>
#include <cerrno>
#include <memory>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

namespace grafos::detail {

#if defined(__linux__)
namespace {

struct CpuSetFree {
  void operator()(cpu_set_t* set) const { CPU_FREE(set); }
};
using CpuSet = std::unique_ptr<cpu_set_t, CpuSetFree>;

// A set for CPUs 0..cpus-1, cleared; null if out of memory.
CpuSet make_set(int cpus) {
  CpuSet set(CPU_ALLOC(cpus));
  if (set) CPU_ZERO_S(CPU_ALLOC_SIZE(cpus), set.get());
  return set;
}

}  // namespace

std::vector<int> thread_cpus() {
  // The kernel refuses (EINVAL) a set smaller than its own CPU count: grow
  // until it fits, as nproc does.
  for (int cpus = 1024; cpus <= (1 << 22); cpus *= 2) {
    CpuSet set = make_set(cpus);
    if (!set) return {};
    const size_t bytes = CPU_ALLOC_SIZE(cpus);
    if (::sched_getaffinity(0, bytes, set.get()) != 0) {
      if (errno == EINVAL) continue;
      return {};
    }
    std::vector<int> out;
    for (int cpu = 0; cpu < cpus; ++cpu)
      if (CPU_ISSET_S(cpu, bytes, set.get())) out.push_back(cpu);
    return out;
  }
  return {};
}

bool set_thread_cpus(std::span<const int> cpus) {
  if (cpus.empty() || *std::min_element(cpus.begin(), cpus.end()) < 0) return false;
  const int size = *std::max_element(cpus.begin(), cpus.end()) + 1;
  CpuSet set = make_set(size);
  if (!set) return false;
  const size_t bytes = CPU_ALLOC_SIZE(size);
  for (const int cpu : cpus) CPU_SET_S(cpu, bytes, set.get());
  return ::sched_setaffinity(0, bytes, set.get()) == 0;
}

#else

std::vector<int> thread_cpus() { return {}; }
bool set_thread_cpus(std::span<const int>) { return false; }

#endif

uint32_t usable_cpus() {
  const size_t allowed = thread_cpus().size();
  if (allowed > 0) return static_cast<uint32_t>(allowed);
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace grafos::detail

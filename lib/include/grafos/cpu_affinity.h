// The calling thread's CPU affinity, for placing the host target's lanes:
// which CPUs it may run on, of any count (a fixed cpu_set_t stops at
// 1024), and narrowing or restoring that set.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace grafos::detail {

// The CPUs the calling thread may run on, ascending: its affinity, which
// taskset and container cpusets narrow and new threads inherit. Empty
// where the system does not say (not Linux, or the call failed).
std::vector<int> thread_cpus();

// Lets the calling thread run on `cpus` only; false if the system refused
// (or is not Linux), leaving the affinity as it was.
bool set_thread_cpus(std::span<const int> cpus);

// The number of CPUs the calling thread may run on, as nproc(1) counts
// them: thread_cpus(), else the machine's hardware threads; at least 1.
uint32_t usable_cpus();

}  // namespace grafos::detail

// `grafos bench`: one tasklet run again and again on one input, each run
// beside the yardstick of the same bytes (a memcpy on the host, a device
// copy on OpenCL), so that the ratio is measured in one process on one
// machine state; on OpenCL also the floor (the input up and the output down
// at the bus's pinned speed measured in the same run, plus the kernels).
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "grafos/tasklet_job.h"
#include "vyre/bench_report.h"

namespace grafos {

struct TaskletBenchRequest {
  TaskletJobOptions job;
  // The input: a file ("-" is stdin), or without one `generated_bytes` of
  // seeded random bytes (rounded down to the tasklet's input unit).
  std::string input;
  uint64_t generated_bytes = 64ull << 20;
  uint32_t workers = 0;  // 0: the job's default
  RegionChoice regions;
  uint32_t warmup = 1, repeat = 10;
};

struct TaskletBench {
  vyre::BenchReport report;
  std::string table_suffix;  // the ratio to the yardstick, for the table
};

// Called after each run: runs done, runs in all, whether it was a warm-up.
using BenchProgress = std::function<void(uint32_t done, uint32_t total, bool warmup)>;

// TaskletError LaneFailure when a run's output differs from the first run's.
TaskletBench bench_tasklet(const TaskletBenchRequest& request, const BenchProgress& progress, std::stop_token stop);

}  // namespace grafos

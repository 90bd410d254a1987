// A tasklet chosen the way `grafos run-tasklet` and `grafos bench` name it -
// a built-in by name or an OpenCL C FILE.cl - ready to run on one target as
// often as needed (an OpenCL tasklet is built once).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "grafos/builtin_tasklets.h"
#include "grafos/config.h"
#include "grafos/opencl_target.h"

namespace grafos {

struct TaskletJobOptions {
  std::string tasklet;          // built-in name or a path ending in .cl
  std::string target = "host";  // host or opencl
  OpenClTaskletOptions opencl;
};

struct TaskletJobRun {
  SharedTaskletResult result;
  double kernel_ms = -1;  // opencl: from profiling events; host: -1
};

class TaskletJob {
 public:
  // Usage errors (vyre::Error) for an unknown name or a FILE.cl on the host
  // target; TaskletError (Device) when the OpenCL tasklet does not build.
  explicit TaskletJob(const TaskletJobOptions& options);
  ~TaskletJob();
  TaskletJob(TaskletJob&&) noexcept;

  const BuiltinTasklet* builtin() const { return builtin_; }
  // The built-in's name or the file's base name.
  std::string name() const;
  const std::string& target() const { return options_.target; }
  std::string device() const;
  double setup_ms() const;

  // InvalidInput naming `input_name` when a u32 tasklet gets a partial word.
  void check_input(std::span<const uint8_t> input, const std::string& input_name) const;
  // The regions the tasklet needs (zero for a FILE.cl: the user sizes them).
  RegionSizes needed(uint64_t input_len, uint32_t workers) const;
  // Output capacity: a built-in's own size, else the input size or 1 MiB.
  uint64_t output_capacity(uint64_t input_len) const;
  TaskletJobRun run(const TaskletConfig& config, std::span<const uint8_t> input);

 private:
  TaskletJobOptions options_;
  const BuiltinTasklet* builtin_ = nullptr;
  std::unique_ptr<OpenClTasklet> opencl_;
};

}  // namespace grafos

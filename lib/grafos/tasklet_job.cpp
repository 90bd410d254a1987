#include "grafos/tasklet_job.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "grafos/error.h"
#include "vyre/error.h"
#include "vyre/file_io.h"

namespace grafos {

namespace {
bool is_cl_file(const std::string& t) { return t.size() > 3 && t.ends_with(".cl"); }
}  // namespace

TaskletJob::TaskletJob(const TaskletJobOptions& options) : options_(options) {
  const bool is_file = is_cl_file(options.tasklet);
  if (!is_file) {
    builtin_ = find_builtin_tasklet(options.tasklet);
    if (!builtin_) {
      std::string names;
      for (const auto& t : builtin_tasklets()) names += " " + std::string(t.name);
      throw vyre::Error::usage("unknown tasklet \"" + options.tasklet + "\"", "use one of" + names + ", or a FILE.cl");
    }
  }
  if (is_file && options.target == "host")
    throw vyre::Error::usage("a FILE.cl tasklet runs only on the opencl target", "add --target opencl");
  if (options.target == "opencl") {
    const std::string source = is_file ? vyre::read_text_input(options.tasklet) : builtin_tasklet_source(*builtin_);
    opencl_ = std::make_unique<OpenClTasklet>(source, is_file ? options.tasklet : std::string(builtin_->name), is_file,
                                              options.opencl);
  }
}

TaskletJob::~TaskletJob() = default;

std::string TaskletJob::name() const {
  return builtin_ ? std::string(builtin_->name) : std::filesystem::path(options_.tasklet).filename().string();
}

std::string TaskletJob::device() const { return opencl_ ? opencl_->device() : "host threads"; }
double TaskletJob::setup_ms() const { return opencl_ ? opencl_->setup_ms() : 0.0; }

void TaskletJob::check_input(std::span<const uint8_t> input, const std::string& input_name) const {
  if (!builtin_) return;
  const std::string problem = builtin_input_problem(*builtin_, input.size());
  if (!problem.empty()) throw vyre::Error::invalid_input(input_name, problem, std::string(builtin_->input_rule));
}

RegionSizes TaskletJob::needed(uint64_t input_len, uint32_t workers) const {
  return builtin_ ? builtin_->sizes(input_len, workers) : RegionSizes{};
}

void TaskletJob::size_regions(TaskletConfig& config, uint64_t input_len, std::optional<uint64_t> shared_bytes,
                              std::optional<uint64_t> scratch_bytes_per_worker) const {
  const RegionSizes need = needed(input_len, config.workers);
  config.shared_bytes = shared_bytes.value_or(need.shared_bytes);
  config.scratch_bytes_per_worker = scratch_bytes_per_worker.value_or(need.scratch_bytes_per_worker);
  if (config.shared_bytes < need.shared_bytes || config.scratch_bytes_per_worker < need.scratch_bytes_per_worker)
    throw TaskletError(TaskletErrorKind::InvalidConfig,
                       "invalid tasklet configuration: " + name() + " needs " + std::to_string(need.shared_bytes) +
                           " shared bytes and " + std::to_string(need.scratch_bytes_per_worker) +
                           " scratch bytes per worker for this input. Fix: raise the sizes or leave them out");
}

uint64_t TaskletJob::output_capacity(uint64_t input_len) const {
  return builtin_ ? builtin_->output_bytes(input_len) : std::max<uint64_t>(input_len, 1u << 20);
}

TaskletJobRun TaskletJob::run(const TaskletConfig& config, std::span<const uint8_t> input) {
  TaskletJobRun out;
  if (!opencl_) {
    out.result = builtin_->run_host(config, input);
    return out;
  }
  OpenClTaskletRun r = opencl_->run(config, input, output_capacity(input.size()));
  out.result = std::move(r.result);
  out.kernel_ms = r.kernel_ms;
  return out;
}

}  // namespace grafos

namespace grafos {

uint32_t TaskletJob::default_workers() const {
  if (opencl_) return kLanesPerComputeUnit * std::max<uint32_t>(1, opencl_->compute_units()) + 1;
  return std::max(1u, std::thread::hardware_concurrency()) + 1;
}

std::string TaskletJob::baseline_name() const { return opencl_ ? "device copy" : "memcpy"; }

double TaskletJob::baseline_ms(std::span<const uint8_t> input) {
  if (opencl_) return opencl_->copy_ms(input.size());
  copy_.resize(input.size());
  const auto t0 = std::chrono::steady_clock::now();
  if (!input.empty()) std::memcpy(copy_.data(), input.data(), input.size());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return ms;
}

}  // namespace grafos

#include "grafos/tasklet_job.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "grafos/error.h"
#include "grafos/cpu_affinity.h"
#include "vyre/error.h"
#include "vyre/file_io.h"

namespace grafos {

namespace {
bool is_cl_file(const std::string& t) { return t.size() > 3 && t.ends_with(".cl"); }

// libgrafos throws TaskletError only: a vyre::Error from the file helpers
// keeps its message and becomes the matching kind.
TaskletError from_vyre(const vyre::Error& e) {
  const TaskletErrorKind kind = e.kind() == vyre::ErrorKind::Io      ? TaskletErrorKind::Io
                                : e.kind() == vyre::ErrorKind::Usage ? TaskletErrorKind::Usage
                                                                     : TaskletErrorKind::InvalidInput;
  return TaskletError(kind, e.what());
}

TaskletError usage(const std::string& what, const std::string& fix) {
  return from_vyre(vyre::Error::usage(what, fix));
}
}  // namespace

std::string_view target_name(Target target) { return target == Target::OpenCl ? "opencl" : "host"; }

TaskletJob::TaskletJob(const TaskletJobOptions& options) : options_(options) {
  const bool is_file = is_cl_file(options.tasklet);
  if (!is_file) {
    builtin_ = find_builtin_tasklet(options.tasklet);
    if (!builtin_) {
      std::string names;
      for (const auto& t : builtin_tasklets()) names += " " + std::string(t.name);
      throw usage("unknown tasklet \"" + options.tasklet + "\"", "use one of" + names + ", or a FILE.cl");
    }
  }
  if (is_file && options.target == Target::Host)
    throw usage("a FILE.cl tasklet runs only on the opencl target", "add --target opencl");
  if (options.target == Target::OpenCl) {
    std::string source;
    try {
      source = is_file ? vyre::read_text_input(options.tasklet) : builtin_tasklet_source(*builtin_);
    } catch (const vyre::Error& e) {
      throw from_vyre(e);
    }
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
  if (!problem.empty())
    throw from_vyre(vyre::Error::invalid_input(input_name, problem, std::string(builtin_->input_rule)));
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

void TaskletJob::configure(TaskletConfig& config, uint64_t input_len, const RegionChoice& choice) const {
  if (choice.max_linear_memory) config.max_linear_memory = *choice.max_linear_memory;
  if (choice.fuel) config.max_fuel = *choice.fuel;
  size_regions(config, input_len, choice.shared_bytes, choice.scratch_bytes_per_worker);
}

uint64_t TaskletJob::output_capacity(uint64_t input_len) const {
  return builtin_ ? builtin_->output_bytes(input_len) : std::max<uint64_t>(input_len, 1u << 20);
}

void TaskletJob::keep_input(std::span<const uint8_t> input) {
  if (opencl_) opencl_->keep_input(input);
}

std::optional<vyre::TransferRates> TaskletJob::measure_bus(uint64_t bytes) {
  return opencl_ ? opencl_->measure_bus(bytes) : std::nullopt;
}

TaskletJobRun TaskletJob::run(const TaskletConfig& config, std::span<const uint8_t> input, bool input_is_kept) {
  TaskletJobRun out;
  if (!opencl_) {
    out.result = builtin_->run_host(config, input);
    return out;
  }
  OpenClTaskletRun r = opencl_->run(config, input, output_capacity(input.size()), input_is_kept);
  out.result = std::move(r.result);
  out.kernel_ms = r.kernel_ms;
  out.upload_ms = r.upload_ms;
  out.readback_ms = r.readback_ms;
  return out;
}

nlohmann::json tasklet_report_json(const TaskletJob& job, const TaskletConfig& config, uint64_t input_bytes,
                                   const TaskletJobRun& run, double wall_ms) {
  const SharedTaskletResult& result = run.result;
  nlohmann::json phases = nlohmann::json::array();
  for (const auto& p : result.phase_stats) phases.push_back({{"lanes", p.lanes}, {"wall_ms", p.wall_ms}});
  const double wall_s = wall_ms / 1e3;
  return {{"tasklet", job.name()},
          {"target", target_name(job.target())},
          {"device", job.device()},
          {"workers", config.workers},
          {"cores", config.cores ? config.cores : config.workers},
          {"shared_bytes", config.shared_bytes},
          {"scratch_bytes_per_worker", config.scratch_bytes_per_worker},
          {"input_bytes", input_bytes},
          {"output_bytes", result.output.size()},
          {"fuel", {{"max", config.max_fuel ? nlohmann::json(*config.max_fuel) : nlohmann::json(nullptr)},
                    {"used", result.fuel_consumed}}},
          {"phases", result.phases},
          {"phase_stats", phases},
          {"wall_ms", wall_ms},
          {"kernel_ms", run.kernel_ms >= 0 ? nlohmann::json(run.kernel_ms) : nlohmann::json(nullptr)},
          {"bytes_per_second", wall_s > 0 ? nlohmann::json(input_bytes / wall_s) : nlohmann::json(nullptr)}};
}

}  // namespace grafos

namespace grafos {

uint32_t TaskletJob::default_workers() const {
  if (opencl_) return kLanesPerComputeUnit * std::max<uint32_t>(1, opencl_->compute_units()) + 1;
  const uint32_t per_thread = builtin_ ? builtin_->host_lanes_per_thread : 1;
  return per_thread * detail::usable_cpus() + 1;
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

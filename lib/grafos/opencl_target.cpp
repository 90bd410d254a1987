#include "grafos/opencl_target.h"

#include <array>
#include <chrono>
#include <cstring>
#include <map>
#include <regex>

#include "grafos/error.h"
#include "grafos/tasklet_state.h"
#include "vyre/error.h"
#include "vyre/opencl.h"
#include "vyre/opencl_device.h"
#include "vyre/pinned_memory.h"
#include "vyre/program_cache.h"

namespace grafos {

namespace embedded {
extern const char kPrelude[];
extern const char kSum[];
extern const char kHistogram[];
extern const char kSort[];
extern const char kPrefixSum[];
}  // namespace embedded

namespace {

// The state words shared with the kernels (tasklet_state.def).
constexpr uint32_t kNext = state::NEXT, kPhase = state::PHASE, kOutputLen = state::OUTPUT_LEN,
                   kFuelLeft = state::FUEL_LEFT, kFuelEnabled = state::FUEL_ENABLED, kError = state::ERROR,
                   kErrorLane = state::ERROR_LANE, kErrorDetail = state::ERROR_DETAIL, kStateWords = state::WORDS;
constexpr uint64_t kNextPhase = state::next::PHASE, kNextFinish = state::next::FINISH;
constexpr uint64_t kErrorFuel = state::error::FUEL, kErrorBounds = state::error::BOUNDS;
// A coordinator that never finishes is a failure, not a hang.
constexpr uint32_t kMaxSteps = 1u << 20;

double ms_between(const cl::Event& e) {
  return (e.getProfilingInfo<CL_PROFILING_COMMAND_END>() - e.getProfilingInfo<CL_PROFILING_COMMAND_START>()) / 1e6;
}

TaskletError device_error(const std::string& what) { return TaskletError(TaskletErrorKind::Device, what); }

}  // namespace

std::string state::build_options() {
  std::string out;
#define GRAFOS_STATE(name, value) out += " -D GRAFOS_STATE_" #name "=" #value;
#define GRAFOS_NEXT(name, value) out += " -D GRAFOS_NEXT_" #name "=" #value;
#define GRAFOS_ERROR(name, value) out += " -D GRAFOS_ERROR_" #name "=" #value;
#include "grafos/tasklet_state.def"
#undef GRAFOS_STATE
#undef GRAFOS_NEXT
#undef GRAFOS_ERROR
  return out.substr(1);
}

const std::string& tasklet_prelude() {
  static const std::string s = embedded::kPrelude;
  return s;
}

std::string builtin_tasklet_source(const BuiltinTasklet& tasklet) {
  static const std::map<std::string, std::string, std::less<>> sources = {
      {"sum.cl", embedded::kSum},
      {"histogram.cl", embedded::kHistogram},
      {"sort.cl", embedded::kSort},
      {"prefix_sum.cl", embedded::kPrefixSum},
  };
  const auto it = sources.find(tasklet.kernel_file);
  if (it == sources.end()) throw device_error("no built-in tasklet source " + std::string(tasklet.kernel_file));
  if (tasklet.kernel_defines.empty()) return it->second;
  return std::string(tasklet.kernel_defines) + "#line 1\n" + it->second;
}

struct OpenClTasklet::State {
  std::string name;
  vyre::SelectedDevice dev;
  cl::Context ctx;
  cl::CommandQueue q;
  cl::Kernel coordinator, worker;
  uint32_t local = 0;
  double build_ms = 0, setup_ms = 0;
  std::unique_ptr<cl::Buffer> copy_src, copy_dst;  // kept between copy_ms calls
  uint64_t copy_bytes = 0;
  // Device buffers are kept between runs and grow when a larger one comes:
  // allocating 256 MiB per run costs more than the tasklet.
  enum Region { kShared, kScratch, kInput, kOutput, kState, kRegions };
  std::array<cl::Buffer, kRegions> buffers;
  std::array<uint64_t, kRegions> capacity{};
  // keep_input's copy in pinned memory, where uploads run at the bus's speed.
  vyre::PinnedMemory kept;
  uint64_t kept_size = 0;
  cl::Buffer& region(Region which, uint64_t bytes) {
    const uint64_t size = std::max<uint64_t>(bytes, 64);
    if (size > dev.info.max_alloc_bytes)
      throw TaskletError(TaskletErrorKind::MemoryBudget,
                         "a region of " + std::to_string(bytes) + " bytes exceeds the device's largest allocation (" +
                             std::to_string(dev.info.max_alloc_bytes) + ")");
    if (capacity[which] < size) {
      buffers[which] = cl::Buffer();  // the old one goes first: two may not fit
      buffers[which] = cl::Buffer(ctx, CL_MEM_READ_WRITE, size);
      capacity[which] = size;
    }
    return buffers[which];
  }
};

OpenClTasklet::OpenClTasklet(const std::string& source, const std::string& name, bool user_file,
                             const OpenClTaskletOptions& options)
    : s_(std::make_unique<State>()) {
  const auto started = std::chrono::steady_clock::now();
  s_->name = name;
  // The tasklet's own #include of the prelude is replaced: the prelude is
  // always prepended, so tasklets need no include path.
  const std::string body =
      std::regex_replace(source, std::regex(R"(#\s*include\s*[<"]grafos_tasklet\.clh[>"])"), "/* prelude included */");
  // The compiler's messages then name the user's file and its own lines.
  const std::string full = tasklet_prelude() + "\n" + vyre::line_directive(1, name) + body;
  const vyre::ProgramOrigin origin =
      user_file ? vyre::ProgramOrigin{"the tasklet " + name, "fix the errors above in " + name}
                : vyre::ProgramOrigin{"the built-in tasklet " + name,
                                      "this is a vyre-tools bug; report it with the build log above"};
  try {
    s_->dev = vyre::select_device(options.device_selector);
    s_->ctx = cl::Context(s_->dev.device);
    s_->q = cl::CommandQueue(s_->ctx, s_->dev.device, CL_QUEUE_PROFILING_ENABLE);
    vyre::BuiltProgram built;
    try {
      // The local memory size lets a kernel size its tiles to the device.
      const std::string build = "-cl-std=CL1.2 " + state::build_options() + " -D GRAFOS_DEVICE_LOCAL_MEM_BYTES=" +
                                std::to_string(s_->dev.info.local_mem_bytes);
      built = vyre::build_program(s_->ctx, s_->dev, full, build, options.use_cache,
                                  origin);
    } catch (const vyre::Error& e) {
      throw device_error(e.summary() + ". Fix: " + e.fix());
    }
    s_->build_ms = built.build_ms;
    try {
      s_->coordinator = cl::Kernel(built.program, "grafos_coordinator");
      s_->worker = cl::Kernel(built.program, "grafos_worker");
    } catch (const cl::Error&) {
      throw device_error(name + ": the tasklet must define the kernels grafos_coordinator and grafos_worker");
    }
    uint32_t local = options.local_size;
    if (local == 0) local = s_->dev.info.type == "GPU" ? kDefaultLocalSizeGpu : kDefaultLocalSizeCpu;
    const auto limit = std::min(s_->coordinator.getWorkGroupInfo<CL_KERNEL_WORK_GROUP_SIZE>(s_->dev.device),
                                s_->worker.getWorkGroupInfo<CL_KERNEL_WORK_GROUP_SIZE>(s_->dev.device));
    if ((local & (local - 1)) != 0 || local > limit)
      throw TaskletError(TaskletErrorKind::InvalidConfig,
                         "invalid tasklet configuration: --local-size " + std::to_string(local) +
                             " must be a power of two no larger than " + std::to_string(limit) + " on " +
                             s_->dev.info.name + ". Fix: pass a power of two up to " + std::to_string(limit) +
                             ", or leave --local-size out");
    s_->local = local;
  } catch (const cl::Error& e) {
    throw device_error(name + ": OpenCL " + vyre::describe_cl_error(e));
  } catch (const vyre::Error& e) {
    throw device_error(e.what());
  }
  s_->setup_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

OpenClTasklet::~OpenClTasklet() = default;
std::string OpenClTasklet::device() const { return s_->dev.info.label(); }
double OpenClTasklet::setup_ms() const { return s_->setup_ms; }
uint32_t OpenClTasklet::compute_units() const { return s_->dev.info.compute_units; }

double OpenClTasklet::copy_ms(uint64_t bytes) {
  try {
    if (!s_->copy_src || s_->copy_bytes != bytes) {
      const uint64_t size = std::max<uint64_t>(bytes, 64);
      s_->copy_src = std::make_unique<cl::Buffer>(s_->ctx, CL_MEM_READ_WRITE, size);
      s_->copy_dst = std::make_unique<cl::Buffer>(s_->ctx, CL_MEM_READ_WRITE, size);
      s_->q.enqueueFillBuffer(*s_->copy_src, uint8_t{1}, 0, size);
      s_->copy_bytes = bytes;
    }
    cl::Event e;
    s_->q.enqueueCopyBuffer(*s_->copy_src, *s_->copy_dst, 0, 0, std::max<uint64_t>(bytes, 64), nullptr, &e);
    e.wait();
    return ms_between(e);
  } catch (const cl::Error& e) {
    throw device_error(s_->name + ": OpenCL " + vyre::describe_cl_error(e));
  }
}

void OpenClTasklet::keep_input(std::span<const uint8_t> input) {
  try {
    s_->kept.reserve(s_->ctx, s_->q, input.size());
  } catch (const cl::Error& e) {
    throw device_error(s_->name + ": OpenCL pinned memory: " + vyre::describe_cl_error(e));
  }
  if (!input.empty()) std::memcpy(s_->kept.data(), input.data(), input.size());
  s_->kept_size = input.size();
}

std::optional<vyre::TransferRates> OpenClTasklet::measure_bus(uint64_t bytes) {
  try {
    return vyre::measure_pinned_bandwidth(s_->ctx, s_->q, bytes);
  } catch (const cl::Error& e) {
    throw device_error(s_->name + ": OpenCL bus bandwidth: " + vyre::describe_cl_error(e));
  }
}

OpenClTaskletRun OpenClTasklet::run(const TaskletConfig& config, std::span<const uint8_t> input, uint64_t output_capacity,
                                    bool input_is_kept) {
  validate_config(config);
  const auto started = std::chrono::steady_clock::now();
  OpenClTaskletRun out;
  out.device = device();
  out.build_ms = s_->build_ms;
  const std::string& name = s_->name;
  cl::CommandQueue& q = s_->q;
  cl::Kernel &coordinator = s_->coordinator, &worker = s_->worker;
  const uint32_t local = s_->local;
  try {
    // Regions start zeroed (grafos-tasklets(7)); the input comes from the
    // kept pinned copy when the caller kept this input, else from its memory.
    cl::Buffer& shared = s_->region(State::kShared, config.shared_bytes);
    cl::Buffer& scratch = s_->region(State::kScratch, config.scratch_bytes_per_worker * config.workers);
    cl::Buffer& in = s_->region(State::kInput, input.size());
    cl::Buffer& output = s_->region(State::kOutput, output_capacity);
    cl::Buffer& state_buf = s_->region(State::kState, sizeof(std::array<uint64_t, kStateWords>));
    auto zero = [&](cl::Buffer& b, uint64_t bytes) { q.enqueueFillBuffer(b, uint8_t{0}, 0, std::max<uint64_t>(bytes, 64)); };
    zero(shared, config.shared_bytes);
    zero(scratch, config.scratch_bytes_per_worker * config.workers);
    zero(output, output_capacity);
    cl::Event upload;
    if (!input.empty()) {
      const bool kept = input_is_kept && s_->kept_size == input.size();
      q.enqueueWriteBuffer(in, CL_FALSE, 0, input.size(), kept ? s_->kept.data() : input.data(), nullptr, &upload);
    }
    std::array<uint64_t, kStateWords> state{};
    state[kFuelLeft] = config.max_fuel.value_or(0);
    state[kFuelEnabled] = config.max_fuel.has_value();
    q.enqueueWriteBuffer(state_buf, CL_TRUE, 0, sizeof state, state.data());
    for (cl::Kernel* k : {&coordinator, &worker}) {
      k->setArg(0, shared);
      k->setArg(1, static_cast<cl_ulong>(config.shared_bytes));
      k->setArg(2, scratch);
      k->setArg(3, static_cast<cl_ulong>(config.scratch_bytes_per_worker));
      k->setArg(4, in);
      k->setArg(5, static_cast<cl_ulong>(input.size()));
      k->setArg(6, output);
      k->setArg(7, static_cast<cl_ulong>(output_capacity));
      k->setArg(8, state_buf);
      k->setArg(9, static_cast<cl_uint>(config.workers));
    }
    auto check_cancel = [&] {
      if (config.cancel.stop_requested()) throw Cancelled("the cancel token was triggered");
      if (config.deadline && std::chrono::steady_clock::now() >= *config.deadline) throw Cancelled(kDeadlinePassed);
    };
    auto launch = [&](cl::Kernel& k, uint32_t step, uint32_t groups) {
      k.setArg(10, static_cast<cl_uint>(step));
      cl::Event e;
      q.enqueueNDRangeKernel(k, cl::NullRange, cl::NDRange(uint64_t{groups} * local), cl::NDRange(local), nullptr, &e);
      q.enqueueReadBuffer(state_buf, CL_TRUE, 0, sizeof state, state.data());
      const double ms = ms_between(e);
      out.kernel_ms += ms;
      if (state[kError] == kErrorFuel)
        throw FuelExhausted("lane " + std::to_string(state[kErrorLane]) + " asked for " +
                                std::to_string(state[kErrorDetail]) + " units, " + std::to_string(state[kFuelLeft]) +
                                " left of " + std::to_string(config.max_fuel.value_or(0)),
                            static_cast<int64_t>(state[kErrorLane]));
      if (state[kError] != 0)
        throw TaskletError(TaskletErrorKind::LaneFailure,
                           name + ": lane " + std::to_string(state[kErrorLane]) +
                               (state[kError] == kErrorBounds ? " failed a bounds check" : " failed") + " (detail " +
                               std::to_string(state[kErrorDetail]) + ")",
                           static_cast<int64_t>(state[kErrorLane]));
      return ms;
    };
    uint32_t step = 0;
    for (;; ++step) {
      check_cancel();
      if (step >= kMaxSteps)
        throw TaskletError(TaskletErrorKind::LaneFailure, name + ": the coordinator did not finish after " +
                                                              std::to_string(kMaxSteps) + " steps", 0);
      state[kNext] = 0;
      q.enqueueWriteBuffer(state_buf, CL_TRUE, kNext * 8, 8, &state[kNext]);
      launch(coordinator, step, 1);
      if (state[kNext] == kNextFinish) break;
      if (state[kNext] != kNextPhase)
        throw TaskletError(TaskletErrorKind::LaneFailure,
                           name + ": coordinator step " + std::to_string(step) +
                               " chose neither grafos_run_phase nor grafos_finish",
                           0);
      check_cancel();
      const double ms = launch(worker, static_cast<uint32_t>(state[kPhase]), config.workers - 1);
      out.result.phase_stats.push_back({config.workers - 1, ms});
    }
    if (!input.empty()) out.upload_ms = ms_between(upload);
    const uint64_t len = state[kOutputLen];
    out.result.output.resize(len);
    if (len) {
      cl::Event read;
      q.enqueueReadBuffer(output, CL_TRUE, 0, len, out.result.output.data(), nullptr, &read);
      out.readback_ms = ms_between(read);
    }
    out.result.phases = static_cast<uint32_t>(out.result.phase_stats.size());
    out.result.fuel_consumed = config.max_fuel ? *config.max_fuel - state[kFuelLeft] : 0;
  } catch (const cl::Error& e) {
    throw device_error(name + ": OpenCL " + vyre::describe_cl_error(e));
  } catch (const vyre::Error& e) {
    throw device_error(e.what());
  }
  out.result.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return out;
}

OpenClTaskletRun run_opencl_tasklet(const TaskletConfig& config, const std::string& source, const std::string& name,
                                    std::span<const uint8_t> input, uint64_t output_capacity,
                                    const OpenClTaskletOptions& options) {
  validate_config(config);  // before the device and the build, not after (run checks again)
  OpenClTasklet tasklet(source, name, false, options);
  OpenClTaskletRun out = tasklet.run(config, input, output_capacity);
  // A one-shot run's wall time includes choosing the device and building.
  out.result.wall_ms += tasklet.setup_ms();
  return out;
}

}  // namespace grafos

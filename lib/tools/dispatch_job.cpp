#include "vyre/dispatch_job.h"

#include <chrono>
#include <filesystem>
#include <tuple>

#include "vyre/buffer_kind.h"
#include "vyre/dispatch_report.h"
#include "vyre/auto_server.h"
#include "vyre/dispatch_server.h"
#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/replay_stream.h"
#include "vyre/resource_map.h"
#include "vyre/ring.h"
#include "vyre/ring_spec.h"
#include "vyre/user_opcodes.h"

namespace vyre {

std::vector<NamedInput> named_inputs(const DispatchInputs& in) {
  return {{"--ring", in.ring},           {"--ring-spec", in.ring_spec}, {"--control", in.control},
          {"--debug-log", in.debug_log}, {"--io-queue", in.io_queue},   {"--resources", in.resources},
          {"--opcodes", in.opcodes}};
}

BackendChoice backend_choice(const DispatchInputs& in) {
  BackendChoice choice = in.backend;
  if (!in.opcodes.empty()) choice.opencl.opcodes = UserOpcodes::load(in.opcodes);
  return choice;
}

std::unique_ptr<PassRunner> make_job_runner(const DispatchInputs& in, BackendChoice choice, std::stop_token stop) {
  if (in.server.empty()) return make_pass_runner(choice);
  if (choice.backend != Backend::OpenCl)
    throw Error::usage("a server runs the opencl backend", "drop --server (or VYRE_SERVER) or --backend reference");
  if (in.server != "auto") {
    if (!choice.opencl.device_selector.empty())
      throw Error::usage("the server at " + in.server + " chose its device when it started",
                         "drop --device, start a server on that device, or use VYRE_SERVER=auto");
    choice.server = in.server;
    return make_pass_runner(choice);
  }
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error::io("/proc/self/exe", "cannot find this program: " + ec.message(), "pass --server SOCKET");
  const AutoServerRequest request{self.string(), choice.opencl, in.opcodes, in.server_idle_exit};
  for (int attempt = 0;; ++attempt) {
    const AutoServer server = ensure_auto_server(request, stop);
    choice.server = server.socket;
    choice.server_log = server.log;
    try {
      return make_pass_runner(choice);
    } catch (const Error& e) {
      // The server found may have reached its idle exit since.
      if (e.kind() != ErrorKind::Io || attempt > 0) throw;
    }
  }
}

Bytes load_optional_buffer(const std::string& path, const char* kind) {
  if (path.empty()) return {};
  try {
    return read_input(path);
  } catch (const Error& e) {
    throw e.with_context(kind);
  }
}

std::string ring_display_name(const DispatchInputs& in) {
  return !in.ring.empty() ? display_name(in.ring) : display_name(in.ring_spec);
}

CheckedBuffers load_dispatch_buffers(const DispatchInputs& in) {
  if (in.ring.empty() && in.ring_spec.empty())
    throw Error::usage("one of --ring or --ring-spec is required", "pass --ring ring.bin or --ring-spec spec.json");
  if (!in.ring.empty() && !in.ring_spec.empty())
    throw Error::usage("--ring and --ring-spec cannot be given together", "pass one of them");
  Bytes ring = !in.ring.empty() ? load_optional_buffer(in.ring, "ring")
                                : encode_ring_spec_text(read_text_input(in.ring_spec), display_name(in.ring_spec));
  DispatchBuffers buffers = default_dispatch_buffers(std::move(ring));
  BufferNames names;
  if (!in.ring.empty()) names.ring = display_name(in.ring);
  auto given = [](const std::string& path, const char* kind, Bytes& buffer, std::string& name) {
    if (path.empty()) return;
    buffer = load_optional_buffer(path, kind);
    name = display_name(path);
  };
  given(in.control, "control", buffers.control, names.control);
  given(in.debug_log, "debug log", buffers.debug_log, names.debug_log);
  given(in.io_queue, "io queue", buffers.io_queue, names.io_queue);
  return CheckedBuffers(std::move(buffers), names);  // before any device work
}

DispatchOptions dispatch_options(const DispatchInputs& in, std::stop_token stop) {
  DispatchOptions options;
  options.mode = in.mode;
  options.max_iterations = in.max_iterations;
  options.workgroup_size = in.backend.opencl.workgroup_size;
  options.cancel = std::move(stop);
  if (!in.resources.empty()) options.resources = parse_resource_map(read_text_input(in.resources), display_name(in.resources));
  return options;
}

DispatchOutcome run_dispatch_request(const DispatchRequest& request, std::stop_token stop) {
  const auto entered = std::chrono::steady_clock::now();
  const DispatchInputs& in = request.inputs;
  check_single_stdin(named_inputs(in));
  if (request.record == "-") throw Error::usage("--record needs a file (the log is appended to)", "name a .vrrl file");
  if (request.guard_bytes != 0 && !in.server.empty())
    throw Error::usage("--guard-bytes runs on a device of this process, not on a server", "drop --server (or VYRE_SERVER)");
  BackendChoice backend = backend_choice(in);
  CheckedBuffers buffers = load_dispatch_buffers(in);
  DispatchOptions options = dispatch_options(in, stop);
  // The run's time starts once the inputs are in memory: waiting for a slow
  // stdin is not the dispatch's time.
  const auto started = std::chrono::steady_clock::now();

  DispatchOutcome out;
  for (const auto& [path, kind, bytes] :
       {std::tuple{in.ring, BufferKind::Ring, ByteSpan(buffers.get().ring)},
        std::tuple{in.control, BufferKind::Control, ByteSpan(buffers.get().control)},
        std::tuple{in.io_queue, BufferKind::IoQueue, ByteSpan(buffers.get().io_queue)}})
    if (!path.empty())
      if (auto note = kind_mismatch_note(kind, bytes, display_name(path))) out.notes.push_back(std::move(*note));
  if (!request.record.empty()) {
    const uint64_t capacity =
        request.record_capacity
            ? request.record_capacity
            : default_record_capacity(count_statuses(ByteSpan(buffers.get().ring)).by_status[protocol::slot::PUBLISHED]);
    out.record_lock = std::make_unique<RecordLock>(request.record);
    out.log = load_or_create_log(request.record, capacity);
    out.recorded = record_published(*out.log, buffers.get().ring, buffers.get().control, wall_clock_ns());
  }
  backend.opencl.guard_bytes = request.guard_bytes;
  auto runner = make_job_runner(in, backend, stop);
  out.result = run_dispatch(*runner, std::move(buffers), options);
  // The wall time of the whole dispatch as a user sees it, device choice and
  // kernel build included: run_dispatch's own clock starts after those.
  const double total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  out.report = dispatch_report_json(out.result, options, total_ms);
  out.report["timings"]["inputs_ms"] = std::chrono::duration<double, std::milli>(started - entered).count();
  if (out.recorded) out.report["record"] = record_summary_json(request.record, *out.recorded);
  return out;
}

}  // namespace vyre

#include <chrono>
#include <cstdio>
#include <optional>
#include <cstdlib>
#include <filesystem>

#include "subcommands.h"
#include "vyre/dispatch_report.h"
#include "vyre/dispatch_server.h"
#include "vyre/file_io.h"
#include "vyre/opencl_dispatch.h"
#include "vyre/reference_interpreter.h"
#include "vyre/replay.h"
#include "vyre/ring_spec.h"

namespace vyre::cli {

namespace {

// VRRL0001 keeps args 0..3 only: say which slots lost argument words, and
// when the log wrapped over older records.
void report_recording(const std::string& path, const RecordSummary& r) {
  if (!r.truncated_slots.empty()) {
    std::string list;
    for (size_t i = 0; i < r.truncated_slots.size() && i < 8; ++i) list += (i ? ", " : "") + std::to_string(r.truncated_slots[i]);
    if (r.truncated_slots.size() > 8) list += ", ...";
    std::fprintf(stderr,
                 "vyre dispatch: warning: %s: %zu slots have argument words beyond arg3 (slots %s); a VRRL0001 record "
                 "keeps args 0..3, so a replay runs them with zeros there\n",
                 path.c_str(), r.truncated_slots.size(), list.c_str());
  }
  if (r.overwritten)
    std::fprintf(stderr, "vyre dispatch: warning: %s: the log wrapped and %llu older records were overwritten; pass "
                         "--record-capacity to create a larger log\n",
                 path.c_str(), static_cast<unsigned long long>(r.overwritten));
}

}  // namespace

Runner setup_dispatch(CLI::App& cmd) {
  struct Options {
    std::string ring, ring_spec, control, debug_log, io_queue, out_dir, report = "-", backend = "opencl", device, mode = "once",
                                                                      resources, server, record;
    uint64_t record_capacity = 65536;
    uint32_t max_iterations = 1, workgroup_size = 0, guard_bytes = 0;
    bool no_cache = false;
  };
  auto o = std::make_shared<Options>();
  auto* ring = cmd.add_option("--ring", o->ring, "Ring buffer file, or - for stdin");
  auto* spec = cmd.add_option("--ring-spec", o->ring_spec, "JSON ring spec (see vyre encode-ring), or - for stdin");
  ring->excludes(spec);
  cmd.add_option("--control", o->control, "Control buffer (default: 1 tenant, 16 observables)");
  cmd.add_option("--debug-log", o->debug_log, "Debug-log buffer (default: 64 records)");
  cmd.add_option("--io-queue", o->io_queue, "IO queue buffer (default: 64 slots)");
  cmd.add_option("--out-dir", o->out_dir,
                 "Write control.bin, ring.bin, debug_log.bin and io_queue.bin here (atomically)");
  cmd.add_option("--report", o->report, "JSON report file, or - for stdout")->capture_default_str();
  cmd.add_option("--backend", o->backend, "opencl or reference (the CPU interpreter)")
      ->check(CLI::IsMember({"opencl", "reference"}))
      ->capture_default_str();
  cmd.add_option("--device", o->device, "OpenCL device: platform:device or a name substring (default $VYRE_DEVICE, "
                                        "else the first GPU, else the first device)");
  cmd.add_option("--mode", o->mode, "once: each lane drains its slot once (repeated while IO is pending); "
                                    "persistent: lanes loop until SHUTDOWN or --max-iterations")
      ->check(CLI::IsMember({"once", "persistent"}))
      ->capture_default_str();
  cmd.add_option("--max-iterations", o->max_iterations, "Iterations per launch in persistent mode")
      ->check(CLI::Range(1u, 1u << 20))
      ->capture_default_str();
  cmd.add_option("--workgroup-size", o->workgroup_size, "Work-items per group (default: min(256, the kernel's limit))")
      ->check(CLI::Range(1u, 1u << 16));
  cmd.add_option("--resources", o->resources, "JSON map of LOAD_MISS resource ids to files: {\"7\": \"data.bin\"}");
  cmd.add_flag("--no-cache", o->no_cache, "Build the kernel from source, bypassing the program cache");
  cmd.add_option("--guard-bytes", o->guard_bytes,
                 "Surround every device buffer with this many guard bytes and fail if the kernel touches one")
      ->check(CLI::Range(1u, 1u << 20));
  cmd.add_option("--record", o->record,
                 "Append every PUBLISHED slot to this VRRL0001 replay log before running (created when missing); "
                 "replay it with vyre replay");
  cmd.add_option("--record-capacity", o->record_capacity, "Records of a log that --record creates (it then wraps)")
      ->check(CLI::Range(uint64_t{1}, protocol::replay::MAX_REPLAY_RECORDS))
      ->capture_default_str();
  cmd.add_option("--server", o->server, "Run on the `vyre serve` at this socket (default $VYRE_SERVER when set)");
  return [o, ring, spec](std::stop_token stop) {
    const auto started = std::chrono::steady_clock::now();
    if (ring->count() == 0 && spec->count() == 0)
      throw Error::usage("one of --ring or --ring-spec is required", "pass --ring ring.bin or --ring-spec spec.json");
    auto load = [](const std::string& path, const char* kind) {
      try {
        return read_input(path);
      } catch (const Error& e) {
        throw e.with_context(kind);
      }
    };
    Bytes ring_bytes = !o->ring.empty() ? load(o->ring, "ring")
                                        : encode_ring_spec_text(read_text_input(o->ring_spec), display_name(o->ring_spec));
    DispatchBuffers buffers = default_dispatch_buffers(std::move(ring_bytes));
    BufferNames names;
    if (!o->ring.empty()) names.ring = display_name(o->ring);
    if (!o->control.empty()) buffers.control = load(o->control, "control"), names.control = o->control;
    if (!o->debug_log.empty()) buffers.debug_log = load(o->debug_log, "debug log"), names.debug_log = o->debug_log;
    if (!o->io_queue.empty()) buffers.io_queue = load(o->io_queue, "io queue"), names.io_queue = o->io_queue;
    validate_dispatch_buffers(buffers, names);  // before any device work
    // What was published is recorded before the run, so a dispatch that then
    // fails can still be replayed.
    std::optional<RecordSummary> recorded;
    if (!o->record.empty()) {
      if (o->record == "-") throw Error::usage("--record needs a file (the log is appended to)", "name a .vrrl file");
      recorded = record_to_log_file(o->record, o->record_capacity, buffers.ring, buffers.control);
      report_recording(o->record, *recorded);
    }

    DispatchOptions options;
    options.mode = o->mode == "once" ? DispatchMode::Once : DispatchMode::Persistent;
    options.max_iterations = o->max_iterations;
    options.workgroup_size = o->workgroup_size;
    options.cancel = stop;
    if (!o->resources.empty()) options.resources = parse_resource_map(read_text_input(o->resources), o->resources);

    std::string server = o->server;
    if (server.empty() && o->backend == "opencl" && o->device.empty())
      if (const char* env = std::getenv("VYRE_SERVER"); env && *env) server = env;
    if (!server.empty() && o->backend != "opencl")
      throw Error::usage("--server runs the opencl backend", "drop --server or --backend reference");
    if (!server.empty() && !o->device.empty())
      throw Error::usage("the server chose its device when it started", "drop --device, or start a server on that device");
    // Resource files are opened by the server: hand it absolute paths.
    if (!server.empty())
      for (auto& [id, file] : options.resources) file = std::filesystem::absolute(file).string();
    DispatchResult result;
    if (!server.empty()) {
      result = dispatch_via_server(server, std::move(buffers), options);
    } else {
      std::unique_ptr<PassRunner> runner;
      if (o->backend == "reference") runner = std::make_unique<ReferenceRunner>(o->workgroup_size ? o->workgroup_size : 256);
      else runner = std::make_unique<OpenClRunner>(OpenClOptions{o->device, !o->no_cache, o->workgroup_size, o->guard_bytes});
      result = run_dispatch(*runner, std::move(buffers), options);
    }
    // Wall time of the whole dispatch as a user sees it, kernel build included.
    result.timings.total_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

    if (!o->out_dir.empty()) write_buffers_to_dir(o->out_dir, result.buffers);
    nlohmann::json report = dispatch_report_json(result, options);
    if (recorded) report["record"] = record_summary_json(o->record, *recorded);
    write_output(o->report, report.dump(2) + "\n", OutputKind::Text);
    return kExitOk;
  };
}

}  // namespace vyre::cli

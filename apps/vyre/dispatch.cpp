#include <chrono>
#include <cstdio>
#include <optional>
#include <cstdlib>
#include <filesystem>

#include "dispatch_inputs.h"
#include "subcommands.h"
#include "vyre/dispatch_report.h"
#include "vyre/dispatch_server.h"
#include "vyre/file_io.h"
#include "vyre/replay.h"

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
    DispatchInputs in;
    std::string out_dir, report = "-", server, record;
    uint64_t record_capacity = 65536;
    uint32_t guard_bytes = 0;
  };
  auto o = std::make_shared<Options>();
  add_dispatch_inputs(cmd, o->in, true);
  cmd.add_option("--out-dir", o->out_dir,
                 "Write control.bin, ring.bin, debug_log.bin and io_queue.bin here (atomically)");
  cmd.add_option("--report", o->report, "JSON report file, or - for stdout")->capture_default_str();
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
  return [o](std::stop_token stop) {
    const auto started = std::chrono::steady_clock::now();
    DispatchBuffers buffers = load_dispatch_buffers(o->in);
    // What was published is recorded before the run, so a dispatch that then
    // fails can still be replayed.
    std::optional<RecordSummary> recorded;
    if (!o->record.empty()) {
      if (o->record == "-") throw Error::usage("--record needs a file (the log is appended to)", "name a .vrrl file");
      recorded = record_to_log_file(o->record, o->record_capacity, buffers.ring, buffers.control);
      report_recording(o->record, *recorded);
    }

    DispatchOptions options = dispatch_options(o->in, stop);

    std::string server = o->server;
    if (server.empty() && o->in.backend == "opencl" && o->in.device.empty())
      if (const char* env = std::getenv("VYRE_SERVER"); env && *env) server = env;
    if (!server.empty() && o->in.backend != "opencl")
      throw Error::usage("--server runs the opencl backend", "drop --server or --backend reference");
    if (!server.empty() && !o->in.device.empty())
      throw Error::usage("the server chose its device when it started", "drop --device, or start a server on that device");
    // Resource files are opened by the server: hand it absolute paths.
    if (!server.empty())
      for (auto& [id, file] : options.resources) file = std::filesystem::absolute(file).string();
    DispatchResult result;
    if (!server.empty()) {
      result = dispatch_via_server(server, std::move(buffers), options);
    } else {
      auto runner = make_pass_runner(backend_choice(o->in, o->guard_bytes));
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

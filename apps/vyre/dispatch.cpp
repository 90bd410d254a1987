#include <chrono>
#include <cstdio>
#include <optional>
#include <cstdlib>
#include <filesystem>

#include "dispatch_inputs.h"
#include "subcommands.h"
#include "vyre/replay_stream.h"
#include "vyre/dispatch_report.h"
#include "vyre/dispatch_server.h"
#include "vyre/file_io.h"
#include "vyre/replay.h"
#include "vyre/replay_log.h"

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
      ->check(whole_number(1, 1u << 20));
  cmd.add_option("--record", o->record,
                 "Append every PUBLISHED slot to this VRRL0001 replay log before running (created when missing); "
                 "replay it with vyre replay");
  cmd.add_option("--record-capacity", o->record_capacity, "Records of a log that --record creates (it then wraps)")
      ->check(whole_number(1, protocol::replay::MAX_REPLAY_RECORDS))
      ->capture_default_str();
  cmd.add_option("--server", o->server, "Run on the `vyre serve` at this socket (default $VYRE_SERVER when set)");
  return [o](std::stop_token stop) {
    check_dispatch_stdin(o->in);
    if (o->record == "-") throw Error::usage("--record needs a file (the log is appended to)", "name a .vrrl file");
    // Every output is declared before anything runs, and all are written
    // together at the end: a failed dispatch replaces none of them.
    OutputSet outputs;
    std::optional<BufferDirectory> out_dir;
    if (!o->out_dir.empty()) out_dir.emplace(outputs, o->out_dir, "--out-dir");
    const size_t report_out = outputs.add(o->report, OutputKind::Text, "--report");
    const size_t record_out = o->record.empty() ? 0 : outputs.add(o->record, OutputKind::Binary, "--record");

    DispatchBuffers buffers = load_dispatch_buffers(o->in);
    DispatchOptions options = dispatch_options(o->in, stop);
    // The run's wall time starts once the inputs are in memory: waiting for
    // a slow stdin is not the dispatch's time.
    const auto started = std::chrono::steady_clock::now();
    std::optional<ReplayLog> log;
    std::optional<RecordSummary> recorded;
    if (!o->record.empty()) {
      log = load_or_create_log(o->record, o->record_capacity);
      recorded = record_published(*log, buffers.ring, buffers.control, wall_clock_ns());
      report_recording(o->record, *recorded);
    }

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

    if (out_dir) out_dir->set(outputs, result.buffers);
    nlohmann::json report = dispatch_report_json(result, options);
    if (recorded) report["record"] = record_summary_json(o->record, *recorded);
    outputs.set(report_out, report.dump(2) + "\n");
    if (log) outputs.set(record_out, log->bytes());
    outputs.commit(stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli

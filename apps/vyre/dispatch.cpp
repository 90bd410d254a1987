#include <cstdio>
#include <cstdlib>

#include "dispatch_flags.h"
#include "subcommands.h"
#include "vyre/file_io.h"

namespace vyre::cli {

namespace {

// VRRL0001 keeps args 0..3 only: say which slots lost argument words, and
// when the log wrapped over older records.
void warn_about_recording(const std::string& path, const RecordSummary& r) {
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
    DispatchRequest request;
    std::string out_dir, report = "-";
  };
  auto o = std::make_shared<Options>();
  add_dispatch_flags(cmd, o->request.inputs, true);
  cmd.add_option("--out-dir", o->out_dir, "Write control.bin, ring.bin, debug_log.bin and io_queue.bin here");
  // --report is the former name of -o: messages name the one the user typed.
  const CLI::Option* report_alias = add_hidden_alias(
      cmd, "--report", o->report, add_output_option(cmd, o->report, "JSON report file (schemas/dispatch-report.schema.json)"));
  cmd.add_option("--guard-bytes", o->request.guard_bytes,
                 "Surround every device buffer with this many guard bytes and fail if the kernel touches one")
      ->check(whole_number(1, 1u << 20));
  cmd.add_option("--record", o->request.record,
                 "Append every PUBLISHED slot to this VRRL0001 replay log (created when missing); replay it with "
                 "vyre replay");
  cmd.add_option("--record-capacity", o->request.record_capacity,
                 "Records of a log that --record creates, after which it wraps (default: twice the slots this "
                 "dispatch publishes, rounded up to a power of two, at least 1024)")
      ->check(whole_number(1, protocol::replay::MAX_REPLAY_RECORDS));
  return [o, report_alias](std::stop_token stop) {
    DispatchRequest request = o->request;
    apply_server_environment(request.inputs, request.guard_bytes != 0);
    // Every output is declared before anything runs, and all are written
    // together at the end: a failed dispatch replaces none of them.
    OutputSet outputs;
    std::optional<BufferDirectory> out_dir;
    if (!o->out_dir.empty()) out_dir.emplace(outputs, o->out_dir, "--out-dir");
    const size_t report = outputs.add(o->report, OutputKind::Text, report_alias->count() ? "--report" : "-o");
    const size_t record = request.record.empty() || request.record == "-"
                              ? 0
                              : outputs.add(request.record, OutputKind::Binary, "--record");

    const DispatchOutcome outcome = run_dispatch_request(request, stop);
    for (const std::string& note : outcome.notes) print_note("vyre dispatch", note);

    if (outcome.recorded) warn_about_recording(request.record, *outcome.recorded);
    if (out_dir) out_dir->set(outputs, outcome.result.buffers);
    outputs.set(report, outcome.report.dump(2) + "\n");
    if (outcome.log) outputs.set(record, outcome.log->bytes());
    outputs.commit(stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli

// What `vyre dispatch`, `vyre bench` and `vyre replay` do between reading
// their flags and writing their outputs: where a dispatch starts (files by
// path), how and where it runs, and what comes back. The drivers parse
// flags into these requests and call one function; reading, checking,
// timing and report building happen here, once.
#pragma once

#include <chrono>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vyre/backend.h"
#include "vyre/bench_report.h"
#include "vyre/dispatch.h"
#include "vyre/file_io.h"
#include "vyre/replay.h"
#include "vyre/replay_log.h"
#include "vyre/replay_stream.h"

namespace vyre {

// The starting buffers and the run, as the command lines give them. Paths:
// "-" is stdin, empty is "not given" (the default buffer then).
struct DispatchInputs {
  std::string ring, ring_spec, control, debug_log, io_queue, resources;
  std::string opcodes;  // user opcode bodies (OPS.cl) for the OpenCL backend
  BackendChoice backend;
  // The socket of a `vyre serve` to run on, "auto" for a private server
  // started on first use (auto_server.h), or empty: a device of this process.
  std::string server;
  std::chrono::seconds server_idle_exit{60};  // of a server "auto" starts
  DispatchMode mode = DispatchMode::Once;
  uint32_t max_iterations = 1;  // per launch, persistent mode
};

// The inputs, as {option, path}: what check_single_stdin looks at.
std::vector<NamedInput> named_inputs(const DispatchInputs& inputs);
// One starting buffer (control, debug log, IO queue); empty when not given.
Bytes load_optional_buffer(const std::string& path, const char* kind);
// The ring (from `ring` or `ring_spec`, exactly one), the other buffers
// given and the defaults for the rest, checked once, errors naming the files.
CheckedBuffers load_dispatch_buffers(const DispatchInputs& inputs);
DispatchOptions dispatch_options(const DispatchInputs& inputs, std::stop_token stop);
// The backend with the user opcodes of `opcodes` read in.
BackendChoice backend_choice(const DispatchInputs& inputs);
// The runner of `choice` (backend_choice(inputs)), on the server `inputs`
// names if any: with "auto" the running program, which must be the vyre
// tool, starts one when none answers, and starts another when the one it
// found went away before it connected.
std::unique_ptr<PassRunner> make_job_runner(const DispatchInputs& inputs, BackendChoice choice, std::stop_token stop);
// The ring's file as messages and reports name it.
std::string ring_display_name(const DispatchInputs& inputs);

struct DispatchRequest {
  DispatchInputs inputs;
  uint32_t guard_bytes = 0;
  std::string record;  // a replay log to append the published slots to; empty: none
  // Records of a log `record` creates; 0: default_record_capacity of the
  // slots this dispatch publishes (replay.h).
  uint64_t record_capacity = 0;
};

struct DispatchOutcome {
  DispatchResult result;
  nlohmann::json report;  // schemas/dispatch-report.schema.json
  // With `record`: the log with this dispatch's published slots appended.
  std::optional<ReplayLog> log;
  std::optional<RecordSummary> recorded;
  // Held until the outcome is gone, after the caller wrote the log back.
  std::unique_ptr<RecordLock> record_lock;
  // For stderr: input files that look like another kind of buffer.
  std::vector<std::string> notes;
};

// `vyre dispatch`: the inputs read and checked once, the published slots
// recorded, the ring run here or on the server, timed from the inputs in
// memory to the buffers back (device, build and transfers included), and
// the report built. Nothing is written; the caller writes the outcome.
DispatchOutcome run_dispatch_request(const DispatchRequest& request, std::stop_token stop);

// Called after each run of a repeated job: runs done, runs in all, and
// whether the run was a warm-up.
using RunProgress = std::function<void(uint32_t done, uint32_t total, bool warmup)>;

// `vyre bench`: the runner made once (timed as setup), then `warmup` and
// `repeat` dispatches from the same starting buffers, each timed by
// run_dispatch's own clock; a run that drains a different number of slots
// than the first stops the bench (Backend).
BenchReport bench_dispatch(const DispatchInputs& inputs, uint32_t warmup, uint32_t repeat, const RunProgress& progress,
                           std::stop_token stop);

struct ReplayRequest {
  std::string log;  // path, or "-" for stdin
  std::optional<uint32_t> from_epoch, to_epoch;
  RoundSplit split = RoundSplit::Epoch;
  // A second backend ("reference", "opencl", "opencl:SEL") or a stream saved
  // by `vyre replay --json`; empty: no comparison.
  std::string compare;
  DispatchInputs inputs;  // the starting control, debug log, IO queue; backend; mode
  uint32_t tenants = kDefaultTenants, observables = kDefaultObservables, slot_count = 0;
};

struct ReplayOutcome {
  ReplayStream stream;
  std::string label;  // the backend replayed on, as reports name it
  std::optional<ReplayStream> other;
  std::string other_label;
  std::vector<StreamDifference> differences;
  DispatchBuffers last;  // what the last round left
};

// Called after each round: the backend's label, rounds done, rounds in all.
using RoundProgress = std::function<void(const std::string& label, size_t done, size_t total)>;

// `vyre replay`: the log read and split into rounds, replayed on the
// backend, and on a second backend (or against a saved stream) to compare.
ReplayOutcome run_replay_request(const ReplayRequest& request, const RoundProgress& progress, std::stop_token stop);

}  // namespace vyre

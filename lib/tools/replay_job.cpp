#include <filesystem>

#include "vyre/dispatch_job.h"
#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/replay_stream.h"

namespace vyre {

ReplayOutcome run_replay_request(const ReplayRequest& request, const RoundProgress& progress, std::stop_token stop) {
  const DispatchInputs& in = request.inputs;
  std::vector<NamedInput> inputs = {{"LOG", request.log}, {"--compare", request.compare}};
  for (const NamedInput& input : named_inputs(in)) inputs.push_back(input);
  check_single_stdin(inputs);
  if (request.from_epoch && request.to_epoch && *request.from_epoch > *request.to_epoch)
    throw Error::usage("--from-epoch " + std::to_string(*request.from_epoch) + " is after --to-epoch " +
                           std::to_string(*request.to_epoch),
                       "swap them");
  const std::vector<RecordedSlot> records = [&] {
    try {
      return ReplayLog::parse(read_input(request.log)).records();
    } catch (const Error& e) {
      throw e.with_context(display_name(request.log));
    }
  }();
  const auto plan = plan_replay(records, request.from_epoch, request.to_epoch, request.split);
  // Only the epoch split needs the other count (for its note).
  const size_t dispatch_rounds =
      request.split == RoundSplit::Dispatch
          ? plan.size()
          : plan_replay(records, request.from_epoch, request.to_epoch, RoundSplit::Dispatch).size();

  ReplayOptions options;
  options.control = load_optional_buffer(in.control, "control");
  options.debug_log = load_optional_buffer(in.debug_log, "debug log");
  options.io_queue = load_optional_buffer(in.io_queue, "io queue");
  options.tenants = request.tenants;
  options.observables = request.observables;
  options.slot_count = request.slot_count;
  options.dispatch = dispatch_options(in, stop);
  // The compared backend runs in this process; only the first may use a server.
  auto replay_on = [&](const BackendChoice& choice, DispatchBuffers* last, bool on_server) {
    ReplayOptions opts = options;
    const std::string label = choice.label();
    if (progress) opts.on_round = [&](size_t done, size_t total) { progress(label, done, total); };
    DispatchInputs where = in;
    if (!on_server) where.server.clear();
    auto runner = make_job_runner(where, choice, stop);
    ReplayStream s = run_replay(*runner, plan, opts, last);
    s.log = display_name(request.log);
    s.records_in_log = records.size();
    s.from_epoch = request.from_epoch;
    s.to_epoch = request.to_epoch;
    s.split = request.split;
    s.dispatch_rounds = dispatch_rounds;
    return s;
  };
  ReplayOutcome out;
  const BackendChoice mine = backend_choice(in);
  out.label = mine.label();
  out.stream = replay_on(mine, &out.last, true);
  if (!request.compare.empty()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(request.compare, ec)) {
      out.other = parse_replay_stream(read_text_input(request.compare), request.compare);
      out.other_label = request.compare;
    } else {
      BackendChoice theirs = parse_backend_spec(request.compare, "--compare");
      theirs.opencl.use_cache = mine.opencl.use_cache;
      theirs.opencl.workgroup_size = mine.opencl.workgroup_size;
      theirs.opencl.opcodes = mine.opencl.opcodes;
      out.other = replay_on(theirs, nullptr, false);
      out.other_label = theirs.label();
    }
    out.differences = compare_replay_streams(out.stream, *out.other);
  }
  return out;
}

}  // namespace vyre

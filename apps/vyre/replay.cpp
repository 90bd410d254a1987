#include <filesystem>

#include "dispatch_inputs.h"
#include "subcommands.h"
#include "vyre/replay_stream.h"
#include "vyre/backend.h"
#include "vyre/file_io.h"
#include "vyre/replay.h"

namespace vyre::cli {

// 0: replayed (and, with --compare, the streams agree); 1: the streams
// differ; 2: invalid input or usage; 3: I/O. The same convention as diff, so
// `vyre replay log.vrrl --backend reference --compare opencl` gates CI.
Runner setup_replay(CLI::App& cmd) {
  struct Options {
    DispatchInputs in;
    std::string log, compare, output = "-", out_dir, rounds = "epoch";
    std::optional<uint32_t> from_epoch, to_epoch;
    uint32_t tenants = kDefaultTenants, observables = kDefaultObservables, slot_count = 0;
    bool json = false, quiet = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("LOG", o->log, "VRRL0001 replay log (vyre dispatch --record, or upstream's RingLog), or - for stdin")
      ->required();
  cmd.add_option("--from-epoch", o->from_epoch, "Replay only records of this epoch and later")
      ->check(whole_number(0, UINT32_MAX));
  cmd.add_option("--to-epoch", o->to_epoch, "Replay only records of this epoch and earlier")->check(whole_number(0, UINT32_MAX));
  cmd.add_option("--rounds", o->rounds,
                 "Where a dispatch ends: epoch (a new ring per epoch or repeated slot) or dispatch (also per "
                 "timestamp: each `vyre dispatch --record` run)")
      ->check(CLI::IsMember({"epoch", "dispatch"}))
      ->capture_default_str();
  cmd.add_option("--compare", o->compare,
                 "Replay on this backend too and compare the streams: reference, opencl, opencl:DEVICE, or a stream "
                 "file written by vyre replay --json");
  add_dispatch_inputs(cmd, o->in, false);
  cmd.add_option("--tenants", o->tenants, "Authorized tenants of the default control")
      ->check(whole_number(0, 32))
      ->capture_default_str();
  cmd.add_option("--observables", o->observables, "Observable words of the default control")
      ->check(whole_number(0, protocol::MAX_ENCODED_OBSERVABLE_SLOTS))
      ->capture_default_str();
  cmd.add_option("--slot-count", o->slot_count, "Ring size (default: the largest recorded slot index + 1)")
      ->check(whole_number(1, protocol::MAX_ENCODED_RING_SLOTS));
  cmd.add_flag("--json", o->json, "Print the stream as JSON (schemas/replay-stream.schema.json)");
  add_output_option(cmd, o->output);
  cmd.add_option("--out-dir", o->out_dir, "Write the buffers left by the last round here (atomically)");
  cmd.add_flag("-q,--quiet", o->quiet, "No progress on stderr");
  return [o](std::stop_token stop) {
    check_single_stdin({{"LOG", o->log},
                        {"--compare", o->compare},
                        {"--control", o->in.control},
                        {"--debug-log", o->in.debug_log},
                        {"--io-queue", o->in.io_queue},
                        {"--resources", o->in.resources}});
    OutputSet outputs;
    const size_t main_out = outputs.add(o->output, OutputKind::Text, "-o");
    std::optional<BufferDirectory> out_dir;
    if (!o->out_dir.empty()) out_dir.emplace(outputs, o->out_dir, "--out-dir");
    if (o->from_epoch && o->to_epoch && *o->from_epoch > *o->to_epoch)
      throw Error::usage("--from-epoch " + std::to_string(*o->from_epoch) + " is after --to-epoch " +
                             std::to_string(*o->to_epoch),
                         "swap them");
    const std::vector<RecordedSlot> records = [&] {
      try {
        return ReplayLog::parse(read_input(o->log)).records();
      } catch (const Error& e) {
        throw in_file(e, o->log);
      }
    }();
    const RoundSplit split = o->rounds == "epoch" ? RoundSplit::Epoch : RoundSplit::Dispatch;
    const auto plan = plan_replay(records, o->from_epoch, o->to_epoch, split);
    // Only the epoch split needs the other count (for its note).
    const size_t dispatch_rounds = split == RoundSplit::Dispatch
                                       ? plan.size()
                                       : plan_replay(records, o->from_epoch, o->to_epoch, RoundSplit::Dispatch).size();

    ReplayOptions options;
    options.control = load_optional_buffer(o->in.control, "control");
    options.debug_log = load_optional_buffer(o->in.debug_log, "debug log");
    options.io_queue = load_optional_buffer(o->in.io_queue, "io queue");
    options.tenants = o->tenants;
    options.observables = o->observables;
    options.slot_count = o->slot_count;
    options.dispatch = dispatch_options(o->in, stop);
    const BackendChoice mine = backend_choice(o->in);
    auto replay_on = [&](const BackendChoice& choice, DispatchBuffers* last) {
      Progress progress("replay on " + choice.label() + ": round", o->quiet);
      ReplayOptions opts = options;
      opts.on_round = [&](size_t done, size_t total) { progress.update(done, total); };
      auto runner = make_pass_runner(choice);
      ReplayStream s = run_replay(*runner, plan, opts, last);
      s.log = display_name(o->log);
      s.records_in_log = records.size();
      s.from_epoch = o->from_epoch;
      s.split = split;
      s.dispatch_rounds = dispatch_rounds;
      s.to_epoch = o->to_epoch;
      return s;
    };
    DispatchBuffers last;
    const ReplayStream stream = replay_on(mine, &last);

    std::optional<ReplayStream> other;
    std::string other_label;
    if (!o->compare.empty()) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(o->compare, ec)) {
        other = parse_replay_stream(read_text_input(o->compare), o->compare);
        other_label = o->compare;
      } else {
        BackendChoice theirs = parse_backend_spec(o->compare, "--compare");
        theirs.opencl.use_cache = mine.opencl.use_cache;
        theirs.opencl.workgroup_size = mine.opencl.workgroup_size;
        other = replay_on(theirs, nullptr);
        other_label = theirs.label();
      }
    }
    const auto diffs = other ? compare_replay_streams(stream, *other) : std::vector<StreamDifference>{};

    if (out_dir) out_dir->set(outputs, last);
    if (o->json) {
      nlohmann::json doc = replay_stream_json(stream);
      if (other) doc["compare"] = stream_differences_json(diffs, other_label);
      outputs.set(main_out, doc.dump(2) + "\n");
    } else {
      std::string text = replay_stream_text(stream);
      if (other) text += stream_differences_text(diffs, mine.label(), other_label);
      outputs.set(main_out, std::move(text));
    }
    outputs.commit(stop);
    return diffs.empty() ? kExitOk : 1;
  };
}

}  // namespace vyre::cli

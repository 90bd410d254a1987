#include "dispatch_flags.h"
#include "subcommands.h"
#include "vyre/replay_stream.h"

namespace vyre::cli {

// 0: replayed (and, with --compare, the streams agree); 1: the streams
// differ; 2: invalid input or usage; 3: I/O. The same convention as diff, so
// `vyre replay log.vrrl --backend reference --compare opencl` gates CI.
Runner setup_replay(CLI::App& cmd) {
  struct Options {
    ReplayRequest request;
    std::string output = "-", out_dir;
    bool json = false, quiet = false;
  };
  auto o = std::make_shared<Options>();
  ReplayRequest& r = o->request;
  cmd.add_option("LOG", r.log, "VRRL0001 replay log (vyre dispatch --record, or upstream's RingLog), or - for stdin")
      ->required();
  cmd.add_option("--from-epoch", r.from_epoch, "Replay only records of this epoch and later")
      ->check(whole_number(0, UINT32_MAX));
  cmd.add_option("--to-epoch", r.to_epoch, "Replay only records of this epoch and earlier")->check(whole_number(0, UINT32_MAX));
  add_choice_option(cmd, "--rounds", r.split, {{"epoch", RoundSplit::Epoch}, {"dispatch", RoundSplit::Dispatch}},
                    "Where a dispatch ends: epoch (a new ring per epoch or repeated slot) or dispatch (also per "
                    "timestamp: each `vyre dispatch --record` run)");
  cmd.add_option("--compare", r.compare,
                 "Replay on this backend too and compare the streams: reference, opencl, opencl:DEVICE, or a stream "
                 "file written by vyre replay --json")
      ->check(non_empty());
  add_dispatch_flags(cmd, r.inputs, false);
  cmd.add_option("--tenants", r.tenants, "Authorized tenants of the default control")
      ->check(whole_number(0, 32))
      ->capture_default_str();
  cmd.add_option("--observables", r.observables, "Observable words of the default control")
      ->check(whole_number(0, protocol::MAX_ENCODED_OBSERVABLE_SLOTS))
      ->capture_default_str();
  cmd.add_option("--slot-count", r.slot_count, "Ring size (default: the largest recorded slot index + 1)")
      ->check(whole_number(1, protocol::MAX_ENCODED_RING_SLOTS));
  cmd.add_flag("--json", o->json, "Print the stream as JSON (schemas/replay-stream.schema.json)");
  add_output_option(cmd, o->output);
  cmd.add_option("--out-dir", o->out_dir, "Write the buffers left by the last round here");
  cmd.add_flag("-q,--quiet", o->quiet, "No progress on stderr");
  return [o](std::stop_token stop) {
    apply_server_environment(o->request.inputs, false);
    OutputSet outputs;
    // The directory first: -o may name a file inside it, to be created.
    std::optional<BufferDirectory> out_dir;
    if (!o->out_dir.empty()) out_dir.emplace(outputs, o->out_dir, "--out-dir");
    const size_t main = outputs.add(o->output, OutputKind::Text, "-o");

    std::optional<Progress> progress;
    const ReplayOutcome out = run_replay_request(
        o->request,
        [&](const std::string& label, size_t done, size_t total) {
          if (!progress) progress.emplace("replay on " + label + ": round", o->quiet);
          progress->update(done, total);
          if (done == total) progress.reset();
        },
        stop);

    if (out_dir) out_dir->set(outputs, out.last);
    if (o->json) {
      nlohmann::json doc = replay_stream_json(out.stream);
      if (out.other) doc["compare"] = stream_differences_json(out.differences, out.other_label);
      outputs.set(main, doc.dump(2) + "\n");
    } else {
      std::string text = replay_stream_text(out.stream);
      if (out.other) text += stream_differences_text(out.differences, out.label, out.other_label);
      outputs.set(main, std::move(text));
    }
    outputs.commit(stop);
    return out.differences.empty() ? kExitOk : kExitDifferent;
  };
}

}  // namespace vyre::cli

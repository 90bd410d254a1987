#include "subcommands.h"
#include "vyre/buffer_kind.h"
#include "vyre/file_io.h"
#include "vyre/views.h"

namespace vyre::cli {

Runner setup_inspect(CLI::App& cmd) {
  struct Options {
    std::string file, kind;
    bool json = false, all = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("FILE", o->file, "Buffer file, or - for stdin")->required();
  cmd.add_option("--kind", o->kind, "Buffer kind")
      ->required()
      ->check(CLI::IsMember(buffer_kind_names()));
  cmd.add_flag("--json", o->json, "Print a JSON document (schemas/inspect-<kind>.schema.json)");
  cmd.add_flag("--all", o->all, "Include EMPTY ring and IO slots");
  return [o](std::stop_token) {
    const Bytes bytes = read_input(o->file);
    check_buffer(*buffer_kind_from_name(o->kind), bytes, display_name(o->file));
    std::string out;
    try {
      if (o->kind == "ring") {
        const RingView v = decode_ring(bytes);
        out = o->json ? ring_json(v, o->all).dump(2) + "\n" : ring_text(v, o->all);
      } else if (o->kind == "control") {
        const ControlView v = decode_control(bytes);
        out = o->json ? control_json(v).dump(2) + "\n" : control_text(v);
      } else if (o->kind == "debug-log") {
        const DebugLogView v = decode_debug_log(bytes);
        out = o->json ? debug_log_json(v, nullptr).dump(2) + "\n" : debug_log_text(v, nullptr);
      } else if (o->kind == "io-queue") {
        const IoQueueView v = decode_io_queue(bytes);
        out = o->json ? io_queue_json(v, o->all).dump(2) + "\n" : io_queue_text(v, o->all);
      } else {
        const ReplayLog log = ReplayLog::parse(bytes);
        out = o->json ? replay_json(log).dump(2) + "\n" : replay_text(log);
      }
    } catch (const Error& e) {
      throw in_file(e, o->file);
    }
    write_output("-", out, OutputKind::Text);
    return kExitOk;
  };
}

}  // namespace vyre::cli

#include "subcommands.h"
#include "vyre/buffer_views.h"
#include "vyre/file_io.h"

namespace vyre::cli {

Runner setup_inspect(CLI::App& cmd) {
  struct Options {
    std::string file;
    BufferKind kind = BufferKind::Ring;
    bool json = false;
    ViewOptions view;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("FILE", o->file, "Buffer file, or - for stdin")->required();
  add_kind_option(cmd, o->kind)->required();
  cmd.add_flag("--json", o->json, "Print a JSON document (schemas/inspect-<kind>.schema.json)");
  cmd.add_flag("--all", o->view.all, "Include EMPTY ring and IO slots");
  return [o](std::stop_token) {
    const Bytes bytes = read_input(o->file);
    check_buffer(o->kind, bytes, display_name(o->file));
    const BufferKindView& view = buffer_view(o->kind);
    std::string out;
    try {
      out = o->json ? view.json(bytes, o->view).dump(2) + "\n" : view.text(bytes, o->view);
    } catch (const Error& e) {
      throw in_file(e, o->file);
    }
    write_output("-", out, OutputKind::Text);
    return kExitOk;
  };
}

}  // namespace vyre::cli

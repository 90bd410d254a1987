#include "subcommands.h"
#include "vyre/file_io.h"
#include "vyre/ring_spec.h"

namespace vyre::cli {

Runner setup_encode_ring(CLI::App& cmd) {
  struct Options {
    std::string spec, output = "-";
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("SPEC", o->spec, "JSON ring spec file, or - for stdin")->required();
  add_output_option(cmd, o->output, "Ring output file (never a terminal)");
  return [o](std::stop_token stop) {
    write_binary_output(o->output, [&] { return encode_ring_spec_text(read_text_input(o->spec), display_name(o->spec)); }, stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli

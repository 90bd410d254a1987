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
  cmd.add_option("-o,--output", o->output, "Ring output file, or - for stdout (never a terminal)");
  return [o](std::stop_token) {
    const std::string text = read_text_input(o->spec);
    const Bytes ring = encode_ring_spec_text(text, display_name(o->spec));
    write_output(o->output, ring, OutputKind::Binary);
    return kExitOk;
  };
}

}  // namespace vyre::cli

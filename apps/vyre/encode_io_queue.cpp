#include "subcommands.h"
#include "vyre/file_io.h"
#include "vyre/io_queue.h"

namespace vyre::cli {

Runner setup_encode_io_queue(CLI::App& cmd) {
  struct Options {
    uint32_t slots = protocol::io::IO_SLOT_COUNT;
    std::string output = "-";
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("--slots", o->slots, "IO slots (1..64, the kernel's poll window)")->capture_default_str();
  cmd.add_option("-o,--output", o->output, "Output file, or - for stdout (never a terminal)");
  return [o](std::stop_token) {
    write_output(o->output, encode_empty_io_queue(o->slots), OutputKind::Binary);
    return kExitOk;
  };
}

}  // namespace vyre::cli

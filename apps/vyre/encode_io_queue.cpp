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
  auto* count = cmd.add_option("--slot-count", o->slots, "IO slots (the kernel polls at most 64)")
                    ->check(whole_number(1, protocol::io::IO_SLOT_COUNT))
                    ->capture_default_str();
  add_hidden_alias(cmd, "--slots", o->slots, count, whole_number(1, protocol::io::IO_SLOT_COUNT));
  add_output_option(cmd, o->output, "Output file (never a terminal)");
  return [o](std::stop_token stop) {
    write_binary_output(o->output, [&] { return encode_empty_io_queue(o->slots); }, stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli

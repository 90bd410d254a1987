#include "subcommands.h"
#include "vyre/debug_log.h"
#include "vyre/file_io.h"

namespace vyre::cli {

Runner setup_encode_debug_log(CLI::App& cmd) {
  struct Options {
    uint32_t capacity = protocol::debug::RECORD_CAPACITY;
    std::string output = "-";
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("--capacity", o->capacity, "PRINTF records the log holds (at most 1048576)")->capture_default_str();
  cmd.add_option("-o,--output", o->output, "Output file, or - for stdout (never a terminal)");
  return [o](std::stop_token) {
    write_output(o->output, encode_empty_debug_log(o->capacity), OutputKind::Binary);
    return kExitOk;
  };
}

}  // namespace vyre::cli

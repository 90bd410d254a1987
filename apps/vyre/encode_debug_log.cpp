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
  cmd.add_option("--capacity", o->capacity, "PRINTF records the log holds")
      ->check(whole_number(0, protocol::MAX_ENCODED_DEBUG_RECORDS))
      ->capture_default_str();
  add_output_option(cmd, o->output, "Output file (never a terminal)");
  return [o](std::stop_token stop) {
    write_binary_output(o->output, [&] { return encode_empty_debug_log(o->capacity); }, stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli

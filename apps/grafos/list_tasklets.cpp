#include <algorithm>
#include <string>

#include "grafos/builtin_tasklets.h"
#include "subcommands.h"
#include "vyre/file_io.h"

namespace grafos_cli {

vyre::cli::Runner setup_list_tasklets(CLI::App& cmd) {
  auto output = std::make_shared<std::string>("-");
  vyre::cli::add_output_option(cmd, *output);
  return [output](std::stop_token) {
    size_t width = 0;
    for (const auto& t : grafos::builtin_tasklets()) width = std::max(width, t.name.size());
    std::string out;
    for (const auto& t : grafos::builtin_tasklets())
      out += std::string(t.name) + std::string(width + 1 - t.name.size(), ' ') + std::string(t.summary) +
             " (host and opencl)\n";
    vyre::write_output(*output, out, vyre::OutputKind::Text);
    return vyre::kExitOk;
  };
}

}  // namespace grafos_cli

#include <cstdio>

#include "grafos/builtin_tasklets.h"
#include "subcommands.h"
#include "vyre/file_io.h"

namespace grafos_cli {

vyre::cli::Runner setup_list_tasklets(CLI::App& cmd) {
  auto output = std::make_shared<std::string>("-");
  vyre::cli::add_output_option(cmd, *output);
  return [output](std::stop_token) {
    std::string out;
    for (const auto& t : grafos::builtin_tasklets()) {
      char line[256];
      std::snprintf(line, sizeof line, "%-12s %s (host and opencl)\n", std::string(t.name).c_str(),
                    std::string(t.summary).c_str());
      out += line;
    }
    vyre::write_output(*output, out, vyre::OutputKind::Text);
    return vyre::kExitOk;
  };
}

}  // namespace grafos_cli

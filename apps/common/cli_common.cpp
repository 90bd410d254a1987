#include "cli_common.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>

#include "vyre/file_io.h"

namespace vyre::cli {

Error in_file(const Error& e, const std::string& path) {
  std::string context = display_name(path);
  if (e.kind() == ErrorKind::MissingWord) context += " (byte offset " + std::to_string(e.word_idx() * 4) + ")";
  return e.with_context(context);
}

std::string& add_output_option(CLI::App& cmd, std::shared_ptr<std::string> out) {
  cmd.add_option("-o,--output", *out, "Output file, or - for stdout (written atomically)")->capture_default_str();
  return *out;
}

namespace {
int run_tool_impl(const std::string& tool, const std::string& description, const std::vector<Subcommand>& table, int argc,
             char** argv, ErrorExitCode extra) {
  CLI::App app{description, tool};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(tool) + " (vyre-tools) 0.1.0, wire protocol vyre-runtime 0.6");
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const auto& row : table) {
    CLI::App* cmd = app.add_subcommand(row.name, row.summary);
    runners.emplace_back(cmd, row.setup(*cmd));
  }
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const auto& row : table) known = known || row.name == std::string_view(argv[1]);
    if (!known) {
      std::cerr << tool << ": unknown subcommand '" << argv[1] << "'. Fix: run `" << tool
                << " --help` for the list of subcommands\n";
      return kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& [cmd, run] : runners) {
    if (!cmd->parsed()) continue;
    const std::string prefix = tool + " " + cmd->get_name() + ": error: ";
    try {
      return run();
    } catch (const Error& e) {
      std::cerr << prefix << e.what() << "\n";
      return e.exit_code();
    } catch (const std::bad_alloc&) {
      std::cerr << prefix << "out of memory. Fix: use smaller buffers or shard the input\n";
      return kExitInvalidInput;
    } catch (const std::exception& e) {
      if (extra)
        if (auto code = extra(e)) {
          std::cerr << prefix << e.what() << "\n";
          return *code;
        }
      std::cerr << prefix << "internal error: " << e.what() << "\n";
      return kExitInvalidInput;
    }
  }
  return kExitUsage;
}
}  // namespace

void run_tool(const std::string& tool, const std::string& description, const std::vector<Subcommand>& table, int argc,
              char** argv, ErrorExitCode extra) {
  const int code = run_tool_impl(tool, description, table, argc, argv, extra);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

}  // namespace vyre::cli

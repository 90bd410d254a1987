// Shell completion scripts generated from a tool's own CLI11 definition, so
// they list exactly the subcommands, options and choices the tool accepts.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace vyre::cli {

// `shell`: "bash" or "zsh". Options with a fixed set of values (CLI::IsMember)
// complete those values; other options that take a value, and positional
// arguments, complete file names.
std::string completion_script(const CLI::App& app, const std::string& tool, const std::string& shell);

}  // namespace vyre::cli

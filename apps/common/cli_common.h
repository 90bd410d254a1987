// What every tool driver shares: the subcommand table row, the runner that
// turns an error into a message and its documented exit code, signal
// handling, and the option conventions ("-" for stdin/stdout, sizes,
// numbers with their ranges).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "vyre/bench_report.h"
#include "vyre/buffer_kind.h"
#include "vyre/error.h"
#include "vyre/exit_codes.h"
#include "vyre/output_set.h"

namespace vyre::cli {

// A subcommand's body. The token is stopped when SIGINT or SIGTERM arrives:
// long work (dispatch launches, tasklet lanes, the server loop) checks it and
// ends early; the driver then exits with 128 + the signal number.
using Runner = std::function<int(std::stop_token)>;

struct Subcommand {
  const char* name;
  const char* summary;
  // Declares the subcommand's options on `cmd`; returns what runs it.
  Runner (*setup)(CLI::App& cmd);
  // Exit code of a command-line error (vyre diff uses 2: its 1 means "different").
  int usage_exit = vyre::kExitUsage;
};

// Maps a library's own error type to its documented exit code (nullopt: not
// one of its errors). vyre::Error is always handled.
using ErrorExitCode = std::optional<int> (*)(const std::exception& e);

// Parses argv against the table and runs the chosen subcommand. Only this
// function prints errors and chooses exit codes.
//
// Signals: SIGINT and SIGTERM stop the run's token at once; a run still going
// a moment later (a kernel that runs on, a read of stdin or a FIFO that
// blocks) is ended by a forced stop with the same exit status, which waits
// while outputs are being put in place (OutputSet holds signals there), so
// no output is ever left half-written. A second signal forces the stop at
// once.
//
// It does not return: it flushes the standard streams and ends the process
// with std::_Exit. Every output file is already closed and renamed by then;
// what _Exit skips is the OpenCL driver's teardown of its context, which
// costs a one-shot `vyre dispatch` about 100 ms on NVIDIA's driver and frees
// nothing the operating system would not.
[[noreturn]] void run_tool(const std::string& tool, const std::string& description, const std::vector<Subcommand>& table,
                           int argc, char** argv, ErrorExitCode extra = nullptr);

// The error with the file it came from in front, and for a missing word the
// byte offset of that word.
Error in_file(const Error& e, const std::string& path);

// A one-line progress display on stderr for long work: drawn only when
// stderr is a terminal and --quiet was not given (pipelines and CI logs stay
// clean), redrawn at most ten times a second, erased when done.
class Progress {
 public:
  Progress(std::string label, bool quiet);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(uint64_t done, uint64_t total, const std::string& detail = {});

 private:
  bool enabled_;
  bool drawn_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point last_{};
};

// "4096", "4K", "1M", "2G" (binary multiples) as a byte count; a usage error
// naming `option` otherwise (a sign, a fraction or garbage).
uint64_t parse_size(const std::string& text, const std::string& option);

// Validators that check an option's text before CLI11 converts it, so that a
// bad value names the accepted range ("--tenants 4294967296: not a whole
// number from 0 to 32") instead of "Could not convert".
CLI::Validator whole_number(uint64_t lo, uint64_t hi);
// Refuses an empty value (--slots ''), which would otherwise read as the
// option left out.
CLI::Validator non_empty();
// Seconds: a finite number greater than 0 ("nan" and "inf" are refused).
CLI::Validator positive_seconds();

// The output options of vyre bench and grafos bench, and writing them: the
// plot and the table, JSON or CSV, declared before the runs and written
// together after them; `table_suffix` is appended to the table only.
struct BenchOutputOptions {
  uint32_t repeat = 0, warmup = 0;
  std::string format = "table", output = "-", plot;
  bool quiet = false;
};
void add_bench_output_options(CLI::App& cmd, BenchOutputOptions& options, uint32_t default_repeat, uint32_t default_warmup);

class BenchWriter {
 public:
  explicit BenchWriter(const BenchOutputOptions& options);
  void write(const BenchReport& report, const std::string& table_suffix, std::stop_token stop);

 private:
  const BenchOutputOptions& options_;
  OutputSet outputs_;
  size_t main_ = 0, plot_ = 0;
};

// -o/--output FILE, or - for stdout.
CLI::Option* add_output_option(CLI::App& cmd, std::string& out, const std::string& what = "Output file");
// A command with one binary output: declares `path` (so a path that cannot
// be written fails before the work), makes the bytes, writes them.
void write_binary_output(const std::string& path, const std::function<Bytes()>& make, std::stop_token stop);

// An option's former name, still accepted so that scripts keep working, but
// left out of --help and of the shell completions (group ""). Both names
// set the same value, so giving both is an error, as a repeated option is.
// `check` is the primary's validator: CLI11 names no hidden option in its
// messages, so its errors name `name` themselves.
template <typename T>
CLI::Option* add_hidden_alias(CLI::App& cmd, const std::string& name, T& target, CLI::Option* primary,
                              CLI::Validator check = CLI::Validator()) {
  auto* alias = cmd.add_option(name, target, "Former name of " + primary->get_name());
  alias->group("");
  alias->excludes(primary);
  alias->check(CLI::Validator(
      [check, name](std::string& text) mutable {
        const std::string why = check(text);
        return why.empty() ? why : name + ": " + why;
      },
      "", ""));
  return alias;
}

// --kind KIND of buffer, from the table of buffer kinds; left out, the
// library tells the kind from the content (resolve_buffer_kind).
CLI::Option* add_kind_option(CLI::App& cmd, std::optional<BufferKind>& kind);
// Prints a library's note ("vyre inspect: note: ...") on stderr.
void print_note(const std::string& who, const std::string& note);
// --device SEL for the OpenCL device.
void add_device_option(CLI::App& cmd, std::string& selector);
// --no-cache: clears `use_cache`.
void add_no_cache_flag(CLI::App& cmd, bool& use_cache);

// An option whose words name values of a library type (--backend opencl):
// the command line takes the words, the library gets the type. The words
// are an IsMember check, so help and shell completion list them.
template <typename T>
CLI::Option* add_choice_option(CLI::App& cmd, const std::string& name, T& target,
                               const std::vector<std::pair<std::string, T>>& choices, const std::string& help,
                               bool show_default = true) {
  std::vector<std::string> words;
  std::string fallback;
  for (const auto& [word, value] : choices) {
    words.push_back(word);
    if (value == target) fallback = word;
  }
  auto* opt = cmd.add_option_function<std::string>(
      name,
      [&target, choices](const std::string& word) {
        for (const auto& [w, value] : choices)
          if (w == word) target = value;
      },
      help);
  opt->check(CLI::IsMember(words));
  if (show_default && !fallback.empty()) opt->default_str(fallback);
  return opt;
}

}  // namespace vyre::cli

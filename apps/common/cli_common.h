// What every tool driver shares: the subcommand table row, the runner that
// turns a vyre::Error into a message and its documented exit code, and the
// input/output conventions ("-" for stdin/stdout).
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
#include "vyre/error.h"

namespace vyre::cli {

// Exit codes documented in every man page.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitInvalidInput = 2;
inline constexpr int kExitIo = 3;
// 128 + signal number when SIGINT or SIGTERM stopped the run (130, 143).
inline constexpr int kExitSignalBase = 128;

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
  int usage_exit = kExitUsage;
};

// Parses argv against the table and runs the chosen subcommand. Only this
// function prints errors and chooses exit codes.
//
// It does not return: it flushes the standard streams and ends the process
// with std::_Exit. Every output file is already closed and renamed by then;
// what _Exit skips is the OpenCL driver's teardown of its context, which
// costs a one-shot `vyre dispatch` about 100 ms on NVIDIA's driver and frees
// nothing the operating system would not.
// Maps a library's own error type to its documented exit code (nullopt: not
// one of its errors). vyre::Error is always handled.
using ErrorExitCode = std::optional<int> (*)(const std::exception& e);

[[noreturn]] void run_tool(const std::string& tool, const std::string& description, const std::vector<Subcommand>& table, int argc,
             char** argv, ErrorExitCode extra = nullptr);

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
// naming `option` otherwise.
uint64_t parse_size(const std::string& text, const std::string& option);

// The output options of vyre bench and grafos bench, and writing them: the
// plot (atomically) first, then the table, JSON or CSV; `table_suffix` is
// appended to the table only.
struct BenchOutputOptions {
  uint32_t repeat = 0, warmup = 0;
  std::string format = "table", output = "-", plot;
  bool quiet = false;
};
void add_bench_output_options(CLI::App& cmd, BenchOutputOptions& options, uint32_t default_repeat, uint32_t default_warmup);
void write_bench_outputs(const BenchReport& report, const BenchOutputOptions& options, const std::string& table_suffix);

// Options shared by several subcommands.
void add_output_option(CLI::App& cmd, std::string& out);

}  // namespace vyre::cli

#include "cli_common.h"

#include "completion.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>
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

void add_output_option(CLI::App& cmd, std::string& out) {
  cmd.add_option("-o,--output", out, "Output file, or - for stdout (written atomically)")->capture_default_str();
}

// "4096", "4K", "1M", "2G" (binary multiples), as a byte count.
uint64_t parse_size(const std::string& text, const std::string& option) {
  size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0)
    throw Error::usage(option + " " + text + " is not a size", "write a number with an optional K, M or G suffix");
  std::string suffix = text.substr(used);
  uint64_t mult = 1;
  if (suffix == "K" || suffix == "k" || suffix == "KiB") mult = 1ull << 10;
  else if (suffix == "M" || suffix == "m" || suffix == "MiB") mult = 1ull << 20;
  else if (suffix == "G" || suffix == "g" || suffix == "GiB") mult = 1ull << 30;
  else if (!suffix.empty() && suffix != "B")
    throw Error::usage(option + " " + text + " has an unknown suffix \"" + suffix + "\"", "use K, M or G");
  if (value > UINT64_MAX / mult) throw Error::usage(option + " " + text + " is too large", "use a smaller size");
  return value * mult;
}

void add_bench_output_options(CLI::App& cmd, BenchOutputOptions& o, uint32_t default_repeat, uint32_t default_warmup) {
  o.repeat = default_repeat;
  o.warmup = default_warmup;
  cmd.add_option("--repeat", o.repeat, "Measured runs")->check(CLI::Range(1u, 1000000u))->capture_default_str();
  cmd.add_option("--warmup", o.warmup, "Runs before the measured ones, not reported")
      ->check(CLI::Range(0u, 1000000u))
      ->capture_default_str();
  cmd.add_option("--format", o.format, "table, json (schemas/bench.schema.json) or csv (one row per run)")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  add_output_option(cmd, o.output);
  cmd.add_option("--plot", o.plot, "Write an SVG plot of the time distributions here (atomically)");
  cmd.add_flag("-q,--quiet", o.quiet, "No progress on stderr");
}

void write_bench_outputs(const BenchReport& report, const BenchOutputOptions& o, const std::string& table_suffix) {
  if (!o.plot.empty()) write_output(o.plot, bench_svg(report), OutputKind::Text);
  const std::string text = o.format == "json" ? bench_json(report).dump(2) + "\n"
                           : o.format == "csv" ? bench_csv(report)
                                               : bench_table(report) + table_suffix;
  write_output(o.output, text, OutputKind::Text);
}

Progress::Progress(std::string label, bool quiet)
    : enabled_(!quiet && ::isatty(STDERR_FILENO)), label_(std::move(label)) {}

Progress::~Progress() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void Progress::update(uint64_t done, uint64_t total, const std::string& detail) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  std::fprintf(stderr, "\r\033[K%s %llu/%llu%s%s", label_.c_str(), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total), detail.empty() ? "" : "  ", detail.c_str());
  std::fflush(stderr);
}

namespace {

// Turns SIGINT and SIGTERM into a stop request: the signals are blocked in
// every thread (this runs before any other thread starts) and read from a
// signalfd by a watcher thread. SIGXFSZ is ignored so that a file-size limit
// makes writes fail with EFBIG (an I/O error, temp file removed) instead of
// killing the process mid-write.
class SignalWatcher {
 public:
  SignalWatcher() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGXFSZ, SIG_IGN);
    fd_ = signalfd(-1, &set, SFD_CLOEXEC);
    if (fd_ < 0) return;  // no watcher: signals stay blocked, runs complete
    watcher_ = std::jthread([this](std::stop_token self) {
      while (!self.stop_requested()) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        signalfd_siginfo info{};
        if (read(fd_, &info, sizeof info) != sizeof info) continue;
        received_.store(static_cast<int>(info.ssi_signo));
        stop_.request_stop();
        // A second signal while the run winds down ends the process at once.
        while (!self.stop_requested()) {
          if (poll(&p, 1, 100) > 0 && read(fd_, &info, sizeof info) == sizeof info)
            std::_Exit(kExitSignalBase + static_cast<int>(info.ssi_signo));
        }
        return;
      }
    });
  }
  ~SignalWatcher() {
    watcher_ = {};
    if (fd_ >= 0) close(fd_);
  }
  std::stop_token token() const { return stop_.get_token(); }
  int received() const { return received_.load(); }

 private:
  int fd_ = -1;
  std::stop_source stop_;
  std::atomic<int> received_{0};
  std::jthread watcher_;
};

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
  std::string shell;
  CLI::App* completion =
      app.add_subcommand("completion", "Print a bash or zsh completion script: source <(" + tool + " completion bash)");
  completion->add_option("SHELL", shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  if (argc > 1 && argv[1][0] != '-') {
    bool known = std::string_view(argv[1]) == "completion";
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
    for (const auto& row : table)
      if (argc > 1 && row.name == std::string_view(argv[1])) return row.usage_exit;
    return kExitUsage;
  }
  if (completion->parsed()) {
    std::cout << completion_script(app, tool, shell);
    return kExitOk;
  }
  for (size_t index = 0; index < runners.size(); ++index) {
    CLI::App* cmd = runners[index].first;
    Runner& run = runners[index].second;
    const Subcommand& row = table[index];
    if (!cmd->parsed()) continue;
    const std::string prefix = tool + " " + cmd->get_name() + ": error: ";
    SignalWatcher signals;
    // A run that a signal stopped ends with 128 + the signal, whatever the
    // error its early end produced; a run that finished before the signal
    // mattered keeps its own result.
    auto interrupted = [&]() -> std::optional<int> {
      if (!signals.received()) return std::nullopt;
      std::cerr << tool << " " << cmd->get_name() << ": interrupted by " << (signals.received() == SIGINT ? "SIGINT" : "SIGTERM")
                << "; no output was written (outputs are replaced atomically or not at all)\n";
      return kExitSignalBase + signals.received();
    };
    try {
      return run(signals.token());
    } catch (const Error& e) {
      if (auto code = interrupted()) return *code;
      std::cerr << prefix << e.what() << "\n";
      return e.kind() == ErrorKind::Usage ? row.usage_exit : e.exit_code();
    } catch (const std::bad_alloc&) {
      std::cerr << prefix << "out of memory. Fix: use smaller buffers or shard the input\n";
      return kExitInvalidInput;
    } catch (const std::exception& e) {
      if (auto code = interrupted()) return *code;
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

#include "cli_common.h"

#include "completion.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>
#include <thread>

#include "vyre/file_io.h"
#include "vyre/output_set.h"

namespace vyre::cli {

Error in_file(const Error& e, const std::string& path) {
  std::string context = display_name(path);
  if (e.kind() == ErrorKind::MissingWord) context += " (byte offset " + std::to_string(e.word_idx() * 4) + ")";
  return e.with_context(context);
}

CLI::Option* add_output_option(CLI::App& cmd, std::string& out, const std::string& what) {
  return cmd.add_option("-o,--output", out, what + ", or - for stdout")->capture_default_str();
}

void write_binary_output(const std::string& path, const std::function<Bytes()>& make, std::stop_token stop) {
  OutputSet outputs;
  const size_t out = outputs.add(path, OutputKind::Binary, "-o");
  const Bytes bytes = make();
  outputs.set(out, bytes);
  outputs.commit(stop);
}

CLI::Option* add_kind_option(CLI::App& cmd, std::optional<BufferKind>& kind) {
  std::vector<std::pair<std::string, std::optional<BufferKind>>> choices;
  for (const auto& k : buffer_kinds()) choices.emplace_back(k.name, k.kind);
  return add_choice_option(cmd, "--kind", kind, choices,
                           "Buffer kind (default: told from the content: the VRRL0001 magic, the size, the layout of "
                           "each kind; exit 2 with the candidates when several fit)",
                           false);
}

void print_note(const std::string& who, const std::string& note) {
  std::fprintf(stderr, "%s: note: %s\n", who.c_str(), note.c_str());
}

void add_device_option(CLI::App& cmd, std::string& selector) {
  cmd.add_option("--device", selector,
                 "OpenCL device: platform:device or a name substring (default $VYRE_DEVICE, else the first GPU, else "
                 "the first device)");
}

void add_no_cache_flag(CLI::App& cmd, bool& use_cache) {
  cmd.add_flag_callback("--no-cache", [&use_cache] { use_cache = false; },
                        "Build the kernels from source, bypassing the program cache");
}

uint64_t parse_size(const std::string& text, const std::string& option) {
  const auto bad = [&](const std::string& why) {
    return Error::usage(option + " " + text + ": " + why, "write a whole number of bytes with an optional K, M or G suffix, e.g. 256M");
  };
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ptr == text.data()) throw bad("not a size");
  if (ec == std::errc::result_out_of_range) throw bad("too large");
  const std::string suffix(ptr, end);
  uint64_t mult = 1;
  if (suffix == "K" || suffix == "k" || suffix == "KiB") mult = 1ull << 10;
  else if (suffix == "M" || suffix == "m" || suffix == "MiB") mult = 1ull << 20;
  else if (suffix == "G" || suffix == "g" || suffix == "GiB") mult = 1ull << 30;
  else if (!suffix.empty() && suffix != "B") throw bad("unknown suffix \"" + suffix + "\"");
  if (value > UINT64_MAX / mult) throw bad("too large");
  return value * mult;
}

CLI::Validator non_empty() {
  return CLI::Validator([](std::string& text) -> std::string { return text.empty() ? "the value is empty" : ""; }, "",
                        "");
}

CLI::Validator whole_number(uint64_t lo, uint64_t hi) {
  const std::string range = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  return CLI::Validator(
      [lo, hi, range](std::string& text) -> std::string {
        uint64_t v = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ptr != text.data() + text.size() || text.empty() || ec != std::errc() || v < lo || v > hi)
          return text + " is not " + range;
        return {};
      },
      "", "");
}

CLI::Validator positive_seconds() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(v) || v <= 0)
          return text + " is not a number of seconds greater than 0";
        return {};
      },
      "", "");
}

void add_bench_output_options(CLI::App& cmd, BenchOutputOptions& o, uint32_t default_repeat, uint32_t default_warmup) {
  o.repeat = default_repeat;
  o.warmup = default_warmup;
  cmd.add_option("--repeat", o.repeat, "Measured runs")->check(whole_number(1, 1000000))->capture_default_str();
  cmd.add_option("--warmup", o.warmup, "Runs before the measured ones, not reported")
      ->check(whole_number(0, 1000000))
      ->capture_default_str();
  cmd.add_option("--format", o.format, "table, json (schemas/bench.schema.json) or csv (one row per run)")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  add_output_option(cmd, o.output);
  cmd.add_option("--plot", o.plot, "Write an SVG plot of the time distributions here");
  cmd.add_flag("-q,--quiet", o.quiet, "No progress on stderr");
}

BenchWriter::BenchWriter(const BenchOutputOptions& o) : options_(o) {
  if (!o.plot.empty()) plot_ = outputs_.add(o.plot, OutputKind::Text, "--plot");
  main_ = outputs_.add(o.output, OutputKind::Text, "-o");
}

void BenchWriter::write(const BenchReport& report, const std::string& table_suffix, std::stop_token stop) {
  if (!options_.plot.empty()) outputs_.set(plot_, bench_svg(report));
  outputs_.set(main_, options_.format == "json"  ? bench_json(report).dump(2) + "\n"
                      : options_.format == "csv" ? bench_csv(report)
                                                 : bench_table(report) + table_suffix);
  outputs_.commit(stop);
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

// The forced stop: a signal queued to the main thread, carrying the exit
// status, whose handler ends the process. A real-time signal nobody else
// sends; OutputSet blocks it (with every other) while it renames files.
int force_signal() { return SIGRTMIN + 3; }

void forced_exit(int, siginfo_t* info, void*) {
  if (info->si_code == SI_QUEUE && info->si_pid == ::getpid()) std::_Exit(info->si_value.sival_int);
}

// How long a run has, after the first signal, to stop by itself (launches,
// phases and loops check the token well within it) before the forced stop.
constexpr auto kGrace = std::chrono::milliseconds(60);
// After a commit, the time a run has to end with its own status.
constexpr auto kAfterCommit = std::chrono::seconds(1);

// SIGINT and SIGTERM are blocked in every thread (this runs before any other
// thread starts) and taken by a watcher thread. The watcher is never joined:
// the process ends with _Exit, so waiting for it cannot delay an exit.
// SIGXFSZ is ignored so that a file-size limit makes writes fail with EFBIG
// (an I/O error, temp file removed) instead of killing the process mid-write.
class SignalWatcher {
 public:
  SignalWatcher() : main_(pthread_self()) {
    struct sigaction sa {};
    sa.sa_sigaction = forced_exit;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(force_signal(), &sa, nullptr);
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    std::signal(SIGXFSZ, SIG_IGN);
    std::thread([this] { watch(); }).detach();
  }
  std::stop_token token() const { return stop_.get_token(); }
  int received() const { return received_.load(); }
  // The name in messages ("vyre dispatch"), once the command line is parsed.
  void set_name(std::string name) {
    name_storage_ = std::move(name);
    name_.store(&name_storage_);
  }
  // Says the run was interrupted, once, whichever of the run's own end and
  // the forced stop comes first.
  void say_interrupted(const char* what = "no output was written (outputs are replaced all at once or not at all)") {
    if (said_.exchange(true)) return;
    const int sig = received_.load();
    const std::string* name = name_.load();
    std::fprintf(stderr, "%s: interrupted by %s; %s\n", name ? name->c_str() : "vyre-tools",
                 sig == SIGINT ? "SIGINT" : "SIGTERM", what);
    std::fflush(stderr);
  }

 private:
  void watch() {
    siginfo_t info{};
    while (sigwaitinfo(&set_, &info) < 0) {
    }
    received_.store(info.si_signo);
    stop_.request_stop();
    // A second signal forces the stop at once; otherwise the grace period.
    const auto deadline = std::chrono::steady_clock::now() + kGrace;
    for (auto now = std::chrono::steady_clock::now(); now < deadline; now = std::chrono::steady_clock::now()) {
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - now).count();
      const timespec wait{0, static_cast<long>(left)};
      if (sigtimedwait(&set_, &info, &wait) > 0) break;
    }
    // Outputs decide what the forced stop may do (vyre::CommitPhase): before
    // any is written it ends the run; while files are put in place it waits,
    // and the run ends with its own status; while a stream is written
    // (a FIFO without a reader) it ends the run, saying so; after a commit
    // the run has another second to end by itself.
    auto done_since = std::chrono::steady_clock::time_point::max();
    for (;;) {
      const CommitPhase phase = claim_forced_stop();
      if (phase == CommitPhase::None) {
        say_interrupted();
        break;
      }
      if (phase == CommitPhase::Streams) {
        say_interrupted("the files were already replaced; the stream being written is incomplete");
        break;
      }
      const auto now = std::chrono::steady_clock::now();
      if (phase == CommitPhase::Done) {
        done_since = std::min(done_since, now);
        if (now - done_since > kAfterCommit) {
          say_interrupted("outputs written before the signal were kept");
          break;
        }
      } else {
        done_since = std::chrono::steady_clock::time_point::max();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    sigval value{};
    value.sival_int = kExitSignalBase + received_.load();
    pthread_sigqueue(main_, force_signal(), value);
  }

  pthread_t main_;
  sigset_t set_{};
  std::stop_source stop_;
  std::atomic<int> received_{0};
  std::atomic<bool> said_{false};
  std::string name_storage_;
  std::atomic<const std::string*> name_{nullptr};
};

// The fix for a command-line error: the option's help.
std::string parse_error_text(const CLI::ParseError& e, const std::string& who) {
  std::string what = e.what();
  while (!what.empty() && (what.back() == '.' || what.back() == '\n' || what.back() == ' ')) what.pop_back();
  // A hidden option's validator names it itself (add_hidden_alias).
  if (what.starts_with(": ")) what = what.substr(2);
  // CLI11's "Could not convert: --x = 1.5" and validators' "--x: why".
  if (what.starts_with("Could not convert: ")) {
    what = what.substr(19);
    if (auto eq = what.find(" = "); eq != std::string::npos)
      what = what.substr(0, eq) + " " + what.substr(eq + 3) + " is not a value of the option's type";
  }
  // CLI11's "--observables excludes " with a hidden former name (unnamed).
  if (what.ends_with(" excludes") && what.starts_with("-")) {
    const std::string name = what.substr(0, what.size() - 9);
    return name + " and its former name were both given. Fix: pass only " + name;
  }
  // CLI11's "--ring excludes --ring-spec".
  if (const auto ex = what.find(" excludes "); ex != std::string::npos && what.starts_with("-"))
    return what.substr(0, ex) + " and " + what.substr(ex + 10) + " cannot be given together. Fix: pass one of them";
  return what + ". Fix: see `" + who + " --help`";
}

int run_tool_impl(SignalWatcher& signals, const std::string& tool, const std::string& description,
                  const std::vector<Subcommand>& table, int argc, char** argv, ErrorExitCode extra) {
  CLI::App app{description, tool};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(tool) + " (vyre-tools) 0.1.0, wire protocol vyre-runtime 0.6");
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const auto& row : table) {
    CLI::App* cmd = app.add_subcommand(row.name, row.summary);
    runners.emplace_back(cmd, row.setup(*cmd));
  }
  std::string shell, completion_output = "-";
  CLI::App* completion =
      app.add_subcommand("completion", "Print a bash or zsh completion script: source <(" + tool + " completion bash)");
  completion->add_option("SHELL", shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  add_output_option(*completion, completion_output);
  const Subcommand* chosen = nullptr;
  std::string who = tool;
  if (argc > 1 && argv[1][0] != '-') {
    for (const auto& row : table)
      if (row.name == std::string_view(argv[1])) chosen = &row;
    if (!chosen && std::string_view(argv[1]) != "completion") {
      std::cerr << tool << ": error: unknown subcommand '" << argv[1] << "'. Fix: run `" << tool
                << " --help` for the list of subcommands\n";
      return kExitUsage;
    }
    who = tool + " " + argv[1];
  }
  signals.set_name(who);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << who << ": error: " << parse_error_text(e, who) << "\n";
    return chosen ? chosen->usage_exit : kExitUsage;
  }
  if (completion->parsed()) {
    try {
      write_output(completion_output, completion_script(app, tool, shell), OutputKind::Text);
    } catch (const Error& e) {
      std::cerr << who << ": error: " << e.what() << "\n";
      return e.exit_code();
    }
    return kExitOk;
  }
  for (size_t index = 0; index < runners.size(); ++index) {
    CLI::App* cmd = runners[index].first;
    Runner& run = runners[index].second;
    const Subcommand& row = table[index];
    if (!cmd->parsed()) continue;
    const std::string prefix = who + ": error: ";
    // A run that a signal stopped ends with 128 + the signal, whatever the
    // error its early end produced; a run that finished before the signal
    // mattered keeps its own result.
    auto interrupted = [&]() -> std::optional<int> {
      if (!signals.received()) return std::nullopt;
      signals.say_interrupted();
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
  SignalWatcher signals;
  int code = run_tool_impl(signals, tool, description, table, argc, argv, extra);
  // What went through std::cout (--help, --version, completion scripts):
  // a full disk or a closed stdout is an error, as for every other output.
  std::cout.flush();
  if (std::cout.fail() && code == kExitOk) {
    std::fprintf(stderr, "%s: error: <stdout>: write failed. Fix: check free disk space, or where stdout goes\n",
                 tool.c_str());
    code = kExitIo;
  }
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

}  // namespace vyre::cli

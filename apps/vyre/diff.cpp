#include "subcommands.h"
#include "vyre/buffer_diff.h"
#include "vyre/file_io.h"

namespace vyre::cli {

// 0 equal, 1 different, 2 invalid input or usage, 3 I/O: so a CI golden-file
// check reads `vyre diff expected.bin actual.bin --kind ring`.
Runner setup_diff(CLI::App& cmd) {
  struct Options {
    std::string a, b, output = "-";
    std::optional<BufferKind> kind;
    std::vector<std::string> ignore;
    bool json = false, quiet = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("A", o->a, "Expected buffer, or - for stdin")->required();
  cmd.add_option("B", o->b, "Actual buffer, or - for stdin")->required();
  add_kind_option(cmd, o->kind);
  cmd.add_option("--ignore", o->ignore, "Fields that may differ (repeat or comma-separate), e.g. --ignore status")
      ->delimiter(',');
  cmd.add_flag("--json", o->json, "Print {kind, equal, changed, added, removed}, compact (schemas/diff.schema.json)");
  auto* quiet = cmd.add_flag("-q,--quiet", o->quiet, "Print nothing; only the exit status tells");
  add_output_option(cmd, o->output)->excludes(quiet);
  return [o](std::stop_token stop) {
    check_single_stdin({{"A", o->a}, {"B", o->b}});
    OutputSet outputs;
    const size_t out = o->quiet ? 0 : outputs.add(o->output, OutputKind::Text, "-o");
    const InputBytes a = InputBytes::read(o->a), b = InputBytes::read(o->b);
    std::vector<std::string> notes;
    const BufferKind kind = resolve_common_kind(o->kind, a, display_name(o->a), b, display_name(o->b), notes);
    for (const auto& note : notes) print_note("vyre diff", note);
    const BufferDiff d = diff_buffers(kind, a, b, std::set<std::string>(o->ignore.begin(), o->ignore.end()),
                                      display_name(o->a), display_name(o->b));
    if (!o->quiet) {
      outputs.set(out, o->json ? buffer_diff_json_line(d) : buffer_diff_text(d));
      outputs.commit(stop);
    }
    return d.equal() ? kExitOk : kExitDifferent;
  };
}

}  // namespace vyre::cli

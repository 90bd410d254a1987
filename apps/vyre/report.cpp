#include "subcommands.h"
#include "vyre/dispatch_page.h"
#include "vyre/file_io.h"

namespace vyre::cli {

Runner setup_report(CLI::App& cmd) {
  struct Options {
    std::string out_dir, dispatch_report, formats, output = "-";
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("OUT-DIR", o->out_dir,
                 "The directory vyre dispatch --out-dir wrote (control.bin, ring.bin, debug_log.bin, io_queue.bin)")
      ->required();
  cmd.add_option("--dispatch-report", o->dispatch_report,
                 "The JSON report of that dispatch, vyre dispatch -o (default: OUT-DIR/report.json when it exists)");
  cmd.add_option("--formats", o->formats, "JSON format table for the PRINTF records (as vyre decode-debug --formats)");
  add_output_option(cmd, o->output, "The HTML page");
  return [o](std::stop_token stop) {
    check_single_stdin({{"--dispatch-report", o->dispatch_report}, {"--formats", o->formats}});
    OutputSet outputs;
    const size_t page_out = outputs.add(o->output, OutputKind::Text, "-o");
    std::optional<FormatTable> formats;
    if (!o->formats.empty()) formats = FormatTable::parse_text(read_text_input(o->formats), display_name(o->formats));
    const DispatchPage page = load_dispatch_page(o->out_dir, o->dispatch_report);
    outputs.set(page_out, dispatch_page_html(page, formats ? &*formats : nullptr));
    outputs.commit(stop);
    return kExitOk;
  };
}

}  // namespace vyre::cli

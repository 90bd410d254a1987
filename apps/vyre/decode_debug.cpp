#include <iostream>

#include "subcommands.h"
#include "vyre/buffer_kind.h"
#include "vyre/file_io.h"
#include "vyre/views.h"

namespace vyre::cli {

Runner setup_decode_debug(CLI::App& cmd) {
  struct Options {
    std::string file, formats, output = "-";
    bool json = false, strict = false;
  };
  auto o = std::make_shared<Options>();
  cmd.add_option("FILE", o->file, "Debug-log buffer file, or - for stdin")->required();
  cmd.add_option("--formats", o->formats, "JSON format table: {\"<fmt id>\": \"text with {0} {1} {2} {slot}\"}");
  cmd.add_flag("--json", o->json, "Print {cursor, capacity, dropped, records} as JSON");
  cmd.add_flag("--strict", o->strict, "Fail like upstream's decoder on an overflowed or partial log");
  add_output_option(cmd, o->output);
  return [o](std::stop_token stop) {
    OutputSet outputs;
    const size_t main = outputs.add(o->output, OutputKind::Text, "-o");
    check_single_stdin({{"FILE", o->file}, {"--formats", o->formats}});
    std::optional<FormatTable> formats;
    if (!o->formats.empty()) formats = FormatTable::parse_text(read_text_input(o->formats), display_name(o->formats));
    const InputBytes bytes = InputBytes::read(o->file);
    check_buffer(BufferKind::DebugLog, bytes, display_name(o->file));
    DebugLogView view;
    try {
      if (o->strict) read_debug_log(bytes);  // upstream's verdict first
      view = decode_debug_log(bytes);
    } catch (const Error& e) {
      throw in_file(e, o->file);
    }
    const FormatTable* table = formats ? &*formats : nullptr;
    if (o->json) {
      nlohmann::json doc = debug_log_json(view, table);
      doc.erase("kind");
      outputs.set(main, doc.dump(2) + "\n");
      outputs.commit(stop);
    } else {
      outputs.set(main, debug_log_text(view, table));
      outputs.commit(stop);
      // Notes go to stderr so the record lines stay clean for pipelines.
      if (auto note = debug_log_overflow_note(view, display_name(o->file))) print_note("vyre decode-debug", *note);
      if (view.partial_record)
        std::cerr << "vyre decode-debug: note: " << display_name(o->file) << ": cursor " << view.cursor
                  << " is not a multiple of 4 words; the trailing partial record was skipped\n";
    }
    return kExitOk;
  };
}

}  // namespace vyre::cli

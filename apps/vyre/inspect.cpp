#include "subcommands.h"
#include "vyre/buffer_views.h"
#include "vyre/views.h"
#include "vyre/file_io.h"
#include "vyre/slot_map.h"

namespace vyre::cli {

Runner setup_inspect(CLI::App& cmd) {
  struct Options {
    std::string file, output = "-", svg;
    std::optional<BufferKind> kind;
    bool json = false, json_lines = false, summary = false;
    SelectionRequest select;
  };
  auto o = std::make_shared<Options>();
  SelectionRequest& s = o->select;
  cmd.add_option("FILE", o->file, "Buffer file, or - for stdin")->required();
  add_kind_option(cmd, o->kind);
  auto* json = cmd.add_flag("--json", o->json, "Print a JSON document (schemas/inspect-<kind>.schema.json)");
  cmd.add_flag("--json-lines", o->json_lines,
               "Print one compact JSON object per slot or record (the items of --json's slots or records), for jq")
      ->excludes(json);
  cmd.add_flag("--summary", o->summary,
               "Print counts of the selected slots by status, opcode and tenant (rings and IO queues; "
               "schemas/inspect-summary.schema.json with --json)");
  cmd.add_flag("--all", s.all, "Include EMPTY ring and IO slots");
  cmd.add_option("--slots", s.slots, "Only slots A:B (half-open; a negative bound counts from the end, e.g. -100:)")
      ->check(non_empty());
  cmd.add_option("--status", s.statuses, "Only slots of these statuses: FAULT, DONE, ... or numbers (comma-separate)")
      ->delimiter(',');
  cmd.add_option("--opcode", s.opcodes,
                 "Only slots of these opcodes: STORE_U32, ... or numbers; IO queues: READ, WRITE, FENCE (comma-separate)")
      ->delimiter(',');
  cmd.add_option("--tenant", s.tenant, "Only ring slots of this tenant")->check(whole_number(0, UINT32_MAX));
  cmd.add_option("--records", s.records, "Only records A:B of a debug or replay log (half-open; negative from the end)")
      ->check(non_empty());
  cmd.add_option("--svg", o->svg,
                 "Write a picture of a ring or IO queue here: slots coloured by status, faults marked, a legend with "
                 "the counts (binned above 65,536 slots); nothing else is printed unless -o, --json, --json-lines or "
                 "--summary asks");
  auto* output = add_output_option(cmd, o->output);
  return [o, output](std::stop_token stop) {
    const bool listing = o->svg.empty() || o->json || o->json_lines || o->summary || output->count() > 0;
    OutputSet outputs;
    const size_t main = listing ? outputs.add(o->output, OutputKind::Text, "-o") : 0;
    const size_t svg = o->svg.empty() ? 0 : outputs.add(o->svg, OutputKind::Text, "--svg");
    const InputBytes bytes = InputBytes::read(o->file);
    const std::string name = display_name(o->file);
    const KindResolution kind = resolve_buffer_kind(o->kind, bytes, name);
    if (kind.note) print_note("vyre inspect", *kind.note);
    ViewOptions options;
    options.selection = parse_selection(kind.kind, o->select);
    const BufferKindView& view = buffer_view(kind.kind);
    const std::string kind_name(buffer_kind_info(kind.kind).name);
    if (o->summary && !view.counts)
      throw Error::usage("--summary counts the slots of a ring or an IO queue, not of a " + kind_name + " buffer",
                         "drop --summary, or use --records to pick records");
    if (!o->svg.empty() && kind.kind != BufferKind::Ring && kind.kind != BufferKind::IoQueue)
      throw Error::usage("--svg draws a ring or an IO queue, not a " + kind_name + " buffer", "drop --svg");
    try {
      if (listing) {
        std::string out;
        if (o->summary) {
          const SlotCounts counts = view.counts(bytes, options);
          out = o->json ? slot_counts_json(counts).dump(2) + "\n"
                : o->json_lines ? slot_counts_json(counts).dump() + "\n"
                                : slot_counts_text(counts);
        } else {
          out = o->json ? view.json(bytes, options).dump(2) + "\n"
                : o->json_lines ? view.json_lines(bytes, options)
                                : view.text(bytes, options);
        }
        outputs.set(main, std::move(out));
      }
      if (!o->svg.empty()) outputs.set(svg, slot_map_svg(kind.kind, bytes, name));
    } catch (const Error& e) {
      throw in_file(e, o->file);
    }
    outputs.commit(stop);
    // As decode-debug says it: the record lines stay clean for pipelines.
    if (kind.kind == BufferKind::DebugLog && listing && !o->json && !o->json_lines)
      if (auto note = debug_log_overflow_note(decode_debug_log(bytes), name)) print_note("vyre inspect", *note);
    return kExitOk;
  };
}

}  // namespace vyre::cli

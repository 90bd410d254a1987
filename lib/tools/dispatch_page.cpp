#include "vyre/dispatch_page.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <tuple>
#include <vector>

#include "vyre/buffer_kind.h"
#include "vyre/error.h"
#include "vyre/file_io.h"
#include "vyre/json_document.h"
#include "vyre/labels.h"
#include "vyre/markup.h"
#include "vyre/slot_map.h"
#include "vyre/views.h"

namespace vyre {

using nlohmann::json;

namespace {

// Long lists stop here; the page says how many more there are.
constexpr size_t kMaxRows = 1000;

constexpr BufferKind kFileKinds[] = {BufferKind::Control, BufferKind::Ring, BufferKind::DebugLog, BufferKind::IoQueue};

// The types the page reads from a report, checked where they are read.
void expect(const std::string& source, const std::string& path, bool ok, const char* what) {
  if (!ok)
    throw Error::invalid_input(source + ": " + path, "expected " + std::string(what),
                               "pass the JSON report `vyre dispatch -o` wrote (schemas/dispatch-report.schema.json)");
}

void check_report(const json& r, const std::string& source) {
  if (!r.is_object() || !r.contains("done_count") || !r.contains("status_counts"))
    throw Error::invalid_input(source, "not a vyre dispatch report (no \"done_count\" or \"status_counts\")",
                               "pass the JSON report `vyre dispatch -o` wrote (schemas/dispatch-report.schema.json)");
  for (const char* key : {"backend", "device"})
    if (r.contains(key)) expect(source, key, r[key].is_string(), "a string");
  for (const char* key : {"launches", "passes", "faults", "done_count", "epoch", "slot_count"})
    if (r.contains(key)) expect(source, key, r[key].is_number_unsigned(), "a whole number");
  if (r.contains("timings")) {
    expect(source, "timings", r["timings"].is_object(), "an object");
    for (const auto& [key, value] : r["timings"].items())
      if (key != "build_cache_hit") expect(source, "timings." + key, value.is_number(), "a number");
  }
  if (r.contains("slots_per_second"))
    expect(source, "slots_per_second", r["slots_per_second"].is_number() || r["slots_per_second"].is_null(),
           "a number or null");
  if (r.contains("io_requests")) {
    expect(source, "io_requests", r["io_requests"].is_array(), "an array");
    for (size_t i = 0; i < r["io_requests"].size(); ++i) {
      const json& q = r["io_requests"][i];
      const std::string at = json_path_index("io_requests", i);
      expect(source, at, q.is_object(), "an object");
      for (const char* key : {"pass", "io_slot", "resource_id", "bytes"})
        expect(source, json_path_join(at, key), q.contains(key) && q[key].is_number_unsigned(), "a whole number");
      expect(source, json_path_join(at, "status"), q.contains("status") && q["status"].is_string(), "a string");
      if (q.contains("file"))
        expect(source, json_path_join(at, "file"), q["file"].is_string() || q["file"].is_null(), "a string or null");
      if (q.contains("error")) expect(source, json_path_join(at, "error"), q["error"].is_string(), "a string");
    }
  }
}

std::string number_text(double v, const char* format = "%.3f") {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string cell(const std::string& text) { return "<td>" + xml_text(text) + "</td>"; }

// A table of rows already escaped, with a note when rows were left out.
std::string table(const std::string& cls, std::initializer_list<const char*> headings, const std::string& rows,
                  size_t shown, size_t total) {
  std::string out = "<table class=\"" + cls + "\"><thead><tr>";
  for (const char* h : headings) out += std::string("<th>") + h + "</th>";
  out += "</tr></thead><tbody>\n" + rows + "</tbody></table>\n";
  if (shown < total)
    out += "<p class=\"more\">The first " + grouped(shown) + " of " + grouped(total) +
           " are shown; <code>vyre inspect</code> lists them all.</p>\n";
  return out;
}

// Horizontal bars, each scaled to the largest value.
std::string bars(const std::string& cls, const std::vector<std::tuple<std::string, uint64_t, std::string>>& items) {
  uint64_t most = 1;
  for (const auto& [label, value, colour] : items) most = std::max(most, value);
  std::string out = "<div class=\"bars " + cls + "\">\n";
  for (const auto& [label, value, colour] : items) {
    const double pct = 100.0 * static_cast<double>(value) / static_cast<double>(most);
    out += "<div class=\"bar-row\"><span class=\"bar-label\">" + xml_text(label) +
           "</span><span class=\"bar-track\"><span class=\"bar\" style=\"width:" + number_text(pct, "%.2f") +
           "%;background:" + colour + "\"></span></span><span class=\"bar-value\">" + grouped(value) + "</span></div>\n";
  }
  return out + "</div>\n";
}

std::string args_text(std::span<const uint32_t> args) {
  size_t n = args.size();
  while (n > 0 && args[n - 1] == 0) --n;
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? " " : "") + std::to_string(args[i]);
  return out.empty() ? "-" : out;
}

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1200px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; border-bottom: 1px solid #ccc; padding-bottom: 2px; margin-top: 28px; }
h3 { font-size: 14px; margin-top: 18px; }
.summary { color: #444; }
.facts { border-collapse: collapse; }
.facts td { padding: 2px 14px 2px 0; }
table { border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #eee; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bars { display: table; }
.bar-row { display: table-row; }
.bar-label, .bar-track, .bar-value { display: table-cell; padding: 2px 8px; vertical-align: middle; }
.bar-track { width: 420px; }
.bar { display: block; height: 14px; min-width: 1px; }
.bar-value { text-align: right; font-variant-numeric: tabular-nums; }
.fault { color: #b00000; font-weight: bold; }
.more, .none { color: #666; font-style: italic; }
footer { margin-top: 32px; color: #777; font-size: 12px; }
)";

}  // namespace

DispatchPage load_dispatch_page(const std::string& out_dir, const std::string& report_path) {
  DispatchPage page;
  page.title = out_dir;
  namespace fs = std::filesystem;
  if (!fs::is_directory(out_dir))
    throw Error::io(out_dir, "is not a directory", "pass the directory `vyre dispatch --out-dir` wrote");
  for (size_t i = 0; i < kBufferFileNames.size(); ++i) {
    const std::string path = (fs::path(out_dir) / kBufferFileNames[i]).string();
    page.buffers[i] = InputBytes::read(path);
    check_buffer(kFileKinds[i], page.buffers[i], path);
  }
  std::string report = report_path;
  if (report.empty() && fs::exists(fs::path(out_dir) / "report.json"))
    report = (fs::path(out_dir) / "report.json").string();
  if (!report.empty()) {
    page.report = parse_json_document(read_text_input(report), display_name(report));
    page.report_name = display_name(report);
    check_report(*page.report, page.report_name);
    const uint64_t slots = page.buffers[1].size() / protocol::SLOT_BYTES;
    if (page.report->contains("slot_count") && (*page.report)["slot_count"].get<uint64_t>() != slots)
      throw Error::invalid_input(page.report_name + ": slot_count",
                                 "the report is of a dispatch of " + std::to_string((*page.report)["slot_count"].get<uint64_t>()) +
                                     " slots, but " + out_dir + "/ring.bin holds " + std::to_string(slots),
                                 "pass the report of the dispatch that wrote " + out_dir);
  }
  return page;
}

std::string dispatch_page_html(const DispatchPage& page, const FormatTable* formats) {
  const ByteSpan ring = page.buffers[1];
  const ControlView control = decode_control(page.buffers[0]);
  const DebugLogView log = decode_debug_log(page.buffers[2]);
  const IoQueueView queue = decode_io_queue(page.buffers[3]);
  const StatusCounts counts = count_statuses(ring);
  const uint64_t slot_count = ring.size() / protocol::SLOT_BYTES;
  const json none = json::object();
  const json& r = page.report ? *page.report : none;
  auto text_of = [&](const json& j, const char* key) { return j.contains(key) ? j[key].get<std::string>() : std::string("?"); };

  std::string out;
  out.reserve(256 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>vyre dispatch: " +
         xml_text(page.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>vyre dispatch: " + xml_text(page.title) + "</h1>\n";

  // What ran, and how long it took.
  out += "<table class=\"facts\">\n";
  auto fact = [&](const std::string& name, const std::string& value) {
    out += "<tr><td>" + xml_text(name) + "</td><td>" + value + "</td></tr>\n";
  };
  fact("ring", grouped(slot_count) + " slots, " + grouped(control.done_count) + " done (DONE_COUNT), epoch " +
                   std::to_string(control.epoch) + (control.shutdown ? ", SHUTDOWN set" : ""));
  fact("faults", counts.by_status[protocol::slot::FAULT]
                     ? "<span class=\"fault\">" + grouped(counts.by_status[protocol::slot::FAULT]) + " FAULT slots</span>"
                     : "none");
  if (page.report) {
    if (r.contains("backend")) fact("backend", xml_text(text_of(r, "backend")) + " on " + xml_text(text_of(r, "device")));
    if (r.contains("launches") && r.contains("passes"))
      fact("launches", grouped(r["launches"].get<uint64_t>()) + " launches, " + grouped(r["passes"].get<uint64_t>()) +
                           " passes");
    std::string timings;
    if (r.contains("timings"))
      for (const char* key : {"kernel_ms", "transfer_ms", "build_ms", "device_ms", "total_ms"})
        if (r["timings"].contains(key))
          timings += std::string(timings.empty() ? "" : ", ") + key + " " + number_text(r["timings"][key].get<double>());
    if (!timings.empty()) fact("timings", xml_text(timings));
    if (r.contains("slots_per_second") && r["slots_per_second"].is_number())
      fact("rate", grouped(static_cast<uint64_t>(r["slots_per_second"].get<double>())) + " slots/s (kernel)");
    fact("report", xml_text(page.report_name));
  } else {
    fact("report", "<span class=\"none\">none: the backend, device, timings and serviced IO requests are in the "
                   "report <code>vyre dispatch -o</code> writes (pass it with --dispatch-report)</span>");
  }
  out += "</table>\n";

  out += "<section id=\"ring-map\">\n<h2>Ring map</h2>\n" +
         slot_map_svg(BufferKind::Ring, ring, kBufferFileNames[1]) + "</section>\n";

  // Statuses and metrics as bars.
  std::vector<std::tuple<std::string, uint64_t, std::string>> items;
  for (uint32_t st = 0; st <= protocol::slot::FAULT; ++st)
    if (counts.by_status[st])
      items.emplace_back(status_label(st), counts.by_status[st], std::string(status_colour(BufferKind::Ring, st)));
  if (counts.other) items.emplace_back("other", counts.other, std::string(status_colour(BufferKind::Ring, 99)));
  out += "<section id=\"statuses\">\n<h2>Slot statuses</h2>\n" + bars("statuses", items) + "</section>\n";
  items.clear();
  for (uint32_t i = 0; i < control.metrics.size(); ++i)
    if (control.metrics[i]) items.emplace_back(metric_label(i), control.metrics[i], "#4c78a8");
  out += "<section id=\"metrics\">\n<h2>Metrics (executed ops by opcode)</h2>\n" +
         (items.empty() ? std::string("<p class=\"none\">none</p>\n") : bars("metrics", items)) + "</section>\n";

  // Observables: the non-zero words.
  {
    std::string rows;
    size_t shown = 0, total = 0;
    for (size_t i = 0; i < control.observables.size(); ++i) {
      if (!control.observables[i]) continue;
      if (++total > kMaxRows) continue;
      ++shown;
      rows += "<tr><td class=\"num\">" + std::to_string(i) + "</td><td class=\"num\">" +
              std::to_string(control.observables[i]) + "</td><td>" + hex(control.observables[i]) + "</td></tr>\n";
    }
    out += "<section id=\"observables\">\n<h2>Observables (" + grouped(control.observables.size()) +
           " words, non-zero ones)</h2>\n" +
           (total ? table("observables", {"index", "value", "hex"}, rows, shown, total)
                  : std::string("<p class=\"none\">all zero</p>\n")) +
           "</section>\n";
  }

  // Faults: the FAULT slots.
  {
    std::string rows;
    size_t shown = 0;
    const uint64_t total = counts.by_status[protocol::slot::FAULT];
    for (uint64_t i = 0; i < slot_count && shown < kMaxRows; ++i) {
      const SlotView s = decode_slot(ring, static_cast<uint32_t>(i));
      if (s.status != protocol::slot::FAULT) continue;
      ++shown;
      rows += "<tr><td class=\"num\">" + std::to_string(s.index) + "</td>" + cell(opcode_label(s.opcode)) +
              "<td class=\"num\">" + std::to_string(s.tenant) + "</td>" + cell(args_text(s.args)) + "</tr>\n";
    }
    out += "<section id=\"faults\">\n<h2>Faults</h2>\n" +
           (total ? table("faults", {"slot", "opcode", "tenant", "args"}, rows, shown, total)
                  : std::string("<p class=\"none\">no FAULT slots</p>\n")) +
           "</section>\n";
  }

  // PRINTF records.
  {
    std::string rows;
    const size_t shown = std::min(log.records.size(), kMaxRows);
    for (size_t i = 0; i < shown; ++i) {
      const DebugRecord& rec = log.records[i];
      std::optional<std::string> text;
      if (formats) text = formats->format(rec);
      rows += "<tr><td class=\"num\">" + std::to_string(rec.slot()) + "</td><td class=\"num\">" +
              std::to_string(rec.fmt_id) + "</td>" + cell(std::to_string(rec.args[0]) + " " + std::to_string(rec.args[1])) +
              cell(text ? *text : plain_record_line(rec)) + "</tr>\n";
    }
    std::string note;
    if (log.dropped)
      note = "<p class=\"fault\">" + grouped(log.dropped) + " records did not fit the " + grouped(log.capacity_records) +
             "-record log and were dropped.</p>\n";
    out += "<section id=\"printf\">\n<h2>PRINTF records</h2>\n" + note +
           (log.records.empty() ? std::string("<p class=\"none\">none</p>\n")
                                : table("printf", {"slot", "fmt", "args", "text"}, rows, shown, log.records.size())) +
           "</section>\n";
  }

  // IO: the requests the host serviced (report) and the queue as it was left.
  {
    out += "<section id=\"io\">\n<h2>IO requests</h2>\n";
    if (page.report && r.contains("io_requests") && !r["io_requests"].empty()) {
      std::string rows;
      for (const json& q : r["io_requests"]) {
        const bool ok = q["status"] == "OK";
        rows += "<tr><td class=\"num\">" + std::to_string(q["pass"].get<uint64_t>()) + "</td><td class=\"num\">" +
                std::to_string(q["io_slot"].get<uint64_t>()) + "</td><td class=\"num\">" +
                std::to_string(q["resource_id"].get<uint64_t>()) + "</td>" +
                (ok ? cell("OK") : "<td class=\"fault\">" + xml_text(q["status"].get<std::string>()) + "</td>") +
                "<td class=\"num\">" + grouped(q["bytes"].get<uint64_t>()) + "</td>" +
                cell(q.contains("file") && q["file"].is_string() ? q["file"].get<std::string>() : "-") +
                cell(q.contains("error") ? q["error"].get<std::string>() : "") + "</tr>\n";
      }
      out += table("io-requests", {"pass", "io slot", "resource", "status", "bytes", "file", "error"}, rows,
                   r["io_requests"].size(), r["io_requests"].size());
    } else {
      out += page.report ? "<p class=\"none\">the host serviced no IO requests</p>\n"
                         : "<p class=\"none\">serviced requests are in the dispatch report</p>\n";
    }
    std::string rows;
    size_t used = 0;
    for (const IoSlotView& s : queue.slots) {
      if (s.status == protocol::slot::EMPTY && s.op_type == 0) continue;
      ++used;
      const auto op = protocol::io::op_name(s.op_type);
      const auto st = protocol::io::status_name(s.status);
      rows += "<tr><td class=\"num\">" + std::to_string(s.index) + "</td>" +
              cell(op ? std::string(*op) : std::to_string(s.op_type)) +
              cell(st ? std::string(*st) : std::to_string(s.status)) + "<td class=\"num\">" +
              std::to_string(s.src_handle) + "</td><td class=\"num\">" + grouped(s.byte_count) + "</td><td class=\"num\">" +
              std::to_string(s.tag) + "</td></tr>\n";
    }
    out += "<h3>IO queue (" + grouped(queue.slots.size()) + " slots, the ones ever used)</h3>\n" +
           (used ? table("io-queue", {"io slot", "op", "status", "resource", "bytes", "tag"}, rows, used, used)
                 : std::string("<p class=\"none\">no slot was used</p>\n")) +
           "</section>\n";
  }

  out += "<footer>Written by <code>vyre report</code> (vyre-tools 0.1.0) from " + xml_text(page.title) +
         ". The wire format: <code>man 7 vyre-protocol</code>.</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace vyre

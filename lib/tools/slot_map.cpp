#include "vyre/slot_map.h"

#include <algorithm>
#include <array>
#include <vector>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/markup.h"
#include "vyre/protocol.h"

namespace vyre {

namespace {

constexpr uint64_t kMaxCells = 65536;  // 256 x 256
constexpr uint32_t kLeft = 40;         // the gutter where rows with a fault are marked
constexpr uint32_t kTop = 64;          // the title lines
constexpr uint32_t kLegendRow = 20;
constexpr std::string_view kUnknownColour = "#3b3b3b";

bool io(BufferKind kind) { return kind == BufferKind::IoQueue; }

// The status that marks a cell whatever its other slots are.
uint32_t fault_status(BufferKind kind) { return io(kind) ? protocol::io::status::ERROR : protocol::slot::FAULT; }

std::string status_name_of(BufferKind kind, uint32_t status) {
  const auto name = io(kind) ? protocol::io::status_name(status) : protocol::status_name(status);
  return name ? std::string(*name) : "status " + std::to_string(status);
}

std::string px(uint64_t v) { return std::to_string(v); }

}  // namespace

std::pair<uint32_t, uint32_t> SlotMapLayout::centre_of(uint64_t slot) const {
  const uint64_t cell = slot / slots_per_cell;
  return {static_cast<uint32_t>(origin_x + (cell % columns) * cell_px + cell_px / 2),
          static_cast<uint32_t>(origin_y + (cell / columns) * cell_px + cell_px / 2)};
}

SlotMapLayout slot_map_layout(uint64_t slot_count) {
  SlotMapLayout l;
  l.slot_count = slot_count;
  while ((slot_count + l.slots_per_cell - 1) / l.slots_per_cell > kMaxCells) l.slots_per_cell *= 2;
  l.cells = std::max<uint64_t>(1, (slot_count + l.slots_per_cell - 1) / l.slots_per_cell);
  l.columns = std::min<uint64_t>(l.cells, l.cells <= 256 ? 16 : l.cells <= 4096 ? 64 : 256);
  l.cell_px = l.columns <= 16 ? 24 : l.columns <= 64 ? 12 : 4;
  l.rows = (l.cells + l.columns - 1) / l.columns;
  l.origin_x = kLeft;
  l.origin_y = kTop;
  l.width = std::max<uint32_t>(560, kLeft + static_cast<uint32_t>(l.columns) * l.cell_px + 20);
  // Below the grid: the legend, two entries a row, up to 11 statuses.
  l.height = kTop + static_cast<uint32_t>(l.rows) * l.cell_px + 16 + 6 * kLegendRow + 8;
  return l;
}

std::string_view status_colour(BufferKind kind, uint32_t status) {
  namespace s = protocol::slot;
  static constexpr std::array<std::string_view, s::FAULT + 1> kRing = {
      "#e3e3e3",  // EMPTY: light grey
      "#4c78a8",  // PUBLISHED: blue
      "#f58518",  // CLAIMED: orange
      "#54a24b",  // DONE: green
      "#b279a2",  // WAIT_IO: purple
      "#72b7b2",  // YIELD: teal
      "#eeca3b",  // REQUEUE: yellow
      "#d62728",  // FAULT: red
  };
  if (status <= s::FAULT) return kRing[status];
  if (io(kind) && status == protocol::io::status::OK) return "#1f6f3f";     // dark green
  if (io(kind) && status == protocol::io::status::ERROR) return "#d62728";  // red, as FAULT
  return kUnknownColour;
}

std::string slot_map_svg(BufferKind kind, ByteSpan bytes, std::string_view title) {
  if (kind != BufferKind::Ring && kind != BufferKind::IoQueue)
    throw Error::usage("a slot map shows a ring or an IO queue, not a " + std::string(buffer_kind_info(kind).name) +
                           " buffer",
                       "pass a ring or an IO queue");
  const uint64_t slot_bytes = io(kind) ? protocol::io::IO_SLOT_BYTES : protocol::SLOT_BYTES;
  const uint64_t status_offset = 4 * (io(kind) ? protocol::io::word::STATUS : protocol::STATUS_WORD);
  if (bytes.size() % slot_bytes != 0 || bytes.empty())
    throw Error::invalid_input(std::string(title), std::to_string(bytes.size()) + " bytes are not whole " +
                                                       std::to_string(slot_bytes) + "-byte slots",
                               "pass a complete ring or IO queue");
  const uint64_t n = bytes.size() / slot_bytes;
  const SlotMapLayout l = slot_map_layout(n);
  const uint32_t fault = fault_status(kind);

  // Each cell's status: the most common of its slots, FAULT if any is.
  // Statuses are counted in buckets 0..0x11 and one for every unnamed value.
  constexpr uint32_t kOther = protocol::io::status::ERROR + 1;
  const auto bucket = [kind](uint32_t st) {
    const bool named = io(kind) ? protocol::io::status_name(st).has_value() : st <= protocol::slot::FAULT;
    return named ? st : kOther;
  };
  std::array<uint64_t, kOther + 1> counts{};
  std::vector<uint32_t> cell_status(l.cells, 0);
  uint64_t faults = 0, first_fault = 0;
  for (uint64_t cell = 0; cell < l.cells; ++cell) {
    std::array<uint64_t, kOther + 1> bin{};
    const uint64_t first = cell * l.slots_per_cell, last = std::min(n, first + l.slots_per_cell);
    for (uint64_t i = first; i < last; ++i) {
      const uint32_t st = bucket(detail::load_u32(bytes.data() + i * slot_bytes + status_offset));
      ++bin[st];
      if (st == fault && faults++ == 0) first_fault = i;
    }
    uint32_t pick = 0;
    for (uint32_t st = 0; st <= kOther; ++st) {
      counts[st] += bin[st];
      if (bin[st] > bin[pick]) pick = st;
    }
    cell_status[cell] = bin[fault] ? fault : pick;
  }

  // The picture fits its title and its legend.
  size_t legend_entries = 0;
  for (uint32_t st = 0; st <= kOther; ++st) legend_entries += counts[st] != 0 || st == fault;
  const uint32_t width = std::max<uint32_t>(l.width, kLeft + 20 + static_cast<uint32_t>(title.size() + 24) * 9);
  const uint32_t height = l.origin_y + static_cast<uint32_t>(l.rows) * l.cell_px + 16 +
                          static_cast<uint32_t>((legend_entries + 1) / 2) * kLegendRow + 8;

  std::string out;
  out.reserve(64 * 1024);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + px(width) + "\" height=\"" + px(height) +
         "\" viewBox=\"0 0 " + px(width) + " " + px(height) +
         "\" font-family=\"sans-serif\" font-size=\"12\" class=\"slot-map\" data-kind=\"" +
         std::string(buffer_kind_info(kind).name) + "\" data-slots=\"" + px(n) + "\" data-slots-per-cell=\"" +
         px(l.slots_per_cell) + "\" data-columns=\"" + px(l.columns) + "\" data-cell-px=\"" + px(l.cell_px) +
         "\" data-origin-x=\"" + px(l.origin_x) + "\" data-origin-y=\"" + px(l.origin_y) + "\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  const std::string unit = io(kind) ? "IO slots" : "slots";
  out += "<text x=\"" + px(kLeft) + "\" y=\"18\" font-size=\"14\" font-weight=\"bold\">" + xml_text(title) + ": " +
         (io(kind) ? "IO queue of " : "ring of ") + grouped(n) + " " + (n == 1 ? unit.substr(0, unit.size() - 1) : unit) +
         "</text>\n";
  std::string binning = l.slots_per_cell == 1 ? "one slot per cell"
                                              : grouped(l.slots_per_cell) + " slots per cell (binned), a cell shows "
                                                                            "their most common status, " +
                                                    status_name_of(kind, fault) + " if any slot has it";
  out += "<text x=\"" + px(kLeft) + "\" y=\"36\" fill=\"#444\" class=\"binning\">" + grouped(l.columns) + " × " +
         grouped(l.rows) + " cells, " + binning + "</text>\n";
  std::string fault_line = faults == 0 ? "no " + status_name_of(kind, fault) + " slots"
                                       : grouped(faults) + " " + status_name_of(kind, fault) +
                                             (faults == 1 ? " slot" : " slots") + ", the first at slot " +
                                             grouped(first_fault) + "; rows holding one are marked on the left";
  out += "<text x=\"" + px(kLeft) + "\" y=\"54\" fill=\"" + (faults ? "#b00000" : "#444") + "\" class=\"faults\">" +
         xml_text(fault_line) + "</text>\n";

  // The grid: runs of one colour in a row are one rectangle.
  out += "<g class=\"cells\" shape-rendering=\"crispEdges\">\n";
  for (uint64_t row = 0; row < l.rows; ++row) {
    const uint64_t begin = row * l.columns, end = std::min(l.cells, begin + l.columns);
    for (uint64_t c = begin; c < end;) {
      uint64_t run = c + 1;
      while (run < end && cell_status[run] == cell_status[c]) ++run;
      out += "<rect x=\"" + px(l.origin_x + (c - begin) * l.cell_px) + "\" y=\"" + px(l.origin_y + row * l.cell_px) +
             "\" width=\"" + px((run - c) * l.cell_px) + "\" height=\"" + px(l.cell_px) + "\" fill=\"" +
             std::string(status_colour(kind, cell_status[c])) + "\"/>\n";
      c = run;
    }
  }
  out += "</g>\n";
  // Thin lines between cells where cells are large enough to count.
  if (l.cell_px >= 12) {
    out += "<g class=\"grid\" stroke=\"white\" stroke-width=\"1\" shape-rendering=\"crispEdges\">\n";
    const uint64_t grid_w = l.columns * l.cell_px, grid_h = l.rows * l.cell_px;
    for (uint64_t c = 1; c < l.columns; ++c)
      out += "<line x1=\"" + px(l.origin_x + c * l.cell_px) + "\" y1=\"" + px(l.origin_y) + "\" x2=\"" +
             px(l.origin_x + c * l.cell_px) + "\" y2=\"" + px(l.origin_y + grid_h) + "\"/>\n";
    for (uint64_t r = 1; r < l.rows; ++r)
      out += "<line x1=\"" + px(l.origin_x) + "\" y1=\"" + px(l.origin_y + r * l.cell_px) + "\" x2=\"" +
             px(l.origin_x + grid_w) + "\" y2=\"" + px(l.origin_y + r * l.cell_px) + "\"/>\n";
    out += "</g>\n";
  }
  // Faults: a mark in the gutter for every row holding one, and a dark
  // square in each faulted cell large enough to hold it.
  if (faults) {
    out += "<g class=\"fault-marks\" fill=\"#7a0000\" shape-rendering=\"crispEdges\">\n";
    for (uint64_t row = 0; row < l.rows; ++row) {
      const uint64_t begin = row * l.columns, end = std::min(l.cells, begin + l.columns);
      bool any = false;
      for (uint64_t c = begin; c < end; ++c) {
        if (cell_status[c] != fault) continue;
        any = true;
        if (l.cell_px >= 12) {
          const uint32_t m = l.cell_px / 3;
          out += "<rect x=\"" + px(l.origin_x + (c - begin) * l.cell_px + m) + "\" y=\"" +
                 px(l.origin_y + row * l.cell_px + m) + "\" width=\"" + px(l.cell_px - 2 * m) + "\" height=\"" +
                 px(l.cell_px - 2 * m) + "\"/>\n";
        }
      }
      if (any)
        out += "<rect class=\"fault-row\" x=\"" + px(kLeft - 14) + "\" y=\"" + px(l.origin_y + row * l.cell_px) +
               "\" width=\"10\" height=\"" + px(std::max<uint32_t>(l.cell_px, 2)) + "\" fill=\"#d62728\"/>\n";
    }
    out += "</g>\n";
  }

  // The legend: every status present, and FAULT (or ERROR) always.
  uint32_t y = l.origin_y + static_cast<uint32_t>(l.rows) * l.cell_px + 16;
  out += "<g class=\"legend\">\n";
  size_t i = 0;
  for (uint32_t st = 0; st <= kOther; ++st) {
    if (counts[st] == 0 && st != fault) continue;
    const std::string name = st == kOther ? "other" : status_name_of(kind, st);
    const uint32_t x = kLeft + static_cast<uint32_t>(i % 2) * 260;
    const uint32_t row_y = y + static_cast<uint32_t>(i / 2) * kLegendRow;
    out += "<rect x=\"" + px(x) + "\" y=\"" + px(row_y) + "\" width=\"14\" height=\"14\" fill=\"" +
           std::string(status_colour(kind, st)) + "\" stroke=\"#888\"/>\n";
    out += "<text x=\"" + px(x + 20) + "\" y=\"" + px(row_y + 12) + "\" data-status=\"" + name + "\" data-count=\"" +
           px(counts[st]) + "\">" + name + " " + grouped(counts[st]) + "</text>\n";
    ++i;
  }
  out += "</g>\n</svg>\n";
  return out;
}

}  // namespace vyre

// A picture of a ring or an IO queue: its slots as a grid of square cells,
// row after row from the top left, coloured by status, with the FAULT (IO:
// ERROR) slots marked, a legend with the counts, and the bin size. Up to
// 65,536 slots a cell is one slot; a larger ring is binned, a power of two
// of slots per cell (16 at 1,048,576 slots), and a cell then takes the most
// common status of its slots, except that a cell holding a FAULT slot is
// always drawn as FAULT: binning never hides a fault. `vyre inspect --svg`
// writes it; `vyre report` embeds it in its page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "vyre/buffer_kind.h"

namespace vyre {

// Where the cells are, in the picture's pixels (one SVG user unit is one
// pixel when rendered at 96 dpi, as rsvg-convert and browsers do).
struct SlotMapLayout {
  uint64_t slot_count = 0;
  uint64_t slots_per_cell = 1;
  uint64_t cells = 0, columns = 0, rows = 0;
  uint32_t cell_px = 0;                 // a cell's side
  uint32_t origin_x = 0, origin_y = 0;  // the top left corner of cell 0
  uint32_t width = 0, height = 0;       // the picture, before a long title widens it or a short legend shortens it
  // The pixel at the centre of the cell that holds `slot`.
  std::pair<uint32_t, uint32_t> centre_of(uint64_t slot) const;
};
SlotMapLayout slot_map_layout(uint64_t slot_count);

// The fill of a status ("#d62728"); IO queues add OK and ERROR. Statuses
// the protocol does not name share one colour.
std::string_view status_colour(BufferKind kind, uint32_t status);

// The picture of a ring or IO queue (InvalidInput for another kind, or for
// bytes that are not whole slots): a standalone SVG document. `title`
// heads it, e.g. the file's name.
std::string slot_map_svg(BufferKind kind, ByteSpan bytes, std::string_view title);

}  // namespace vyre

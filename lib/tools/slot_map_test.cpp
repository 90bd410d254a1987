#include <doctest/doctest.h>

#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/io_queue.h"
#include "vyre/ring.h"
#include "vyre/slot_map.h"

using namespace vyre;

TEST_CASE("one slot per cell up to 65,536 slots; above, a power of two per cell") {
  CHECK(slot_map_layout(16).slots_per_cell == 1);
  CHECK(slot_map_layout(16).columns == 16);
  CHECK(slot_map_layout(16).cell_px == 24);
  CHECK(slot_map_layout(65536).slots_per_cell == 1);
  CHECK(slot_map_layout(65536).columns == 256);
  CHECK(slot_map_layout(65537).slots_per_cell == 2);
  const SlotMapLayout big = slot_map_layout(1u << 20);
  CHECK(big.slots_per_cell == 16);
  CHECK(big.cells == 65536);
  CHECK(big.rows == 256);
  CHECK(big.centre_of(0) == std::pair<uint32_t, uint32_t>{big.origin_x + 2, big.origin_y + 2});
  CHECK(big.centre_of(16 * 257) == std::pair<uint32_t, uint32_t>{big.origin_x + 4 + 2, big.origin_y + 4 + 2});
}

TEST_CASE("cells take their status's colour, a fault is never binned away, the legend counts") {
  Bytes ring = encode_empty_ring(40);
  detail::write_word(ring, 3 * 16, protocol::slot::DONE);
  detail::write_word(ring, 5 * 16, protocol::slot::FAULT);
  const std::string svg = slot_map_svg(BufferKind::Ring, ring, "r<1>.bin");
  CHECK(svg.find("r&lt;1&gt;.bin: ring of 40 slots") != std::string::npos);
  CHECK(svg.find("one slot per cell") != std::string::npos);
  CHECK(svg.find("1 FAULT slot, the first at slot 5") != std::string::npos);
  CHECK(svg.find("data-status=\"EMPTY\" data-count=\"38\"") != std::string::npos);
  CHECK(svg.find("data-status=\"DONE\" data-count=\"1\"") != std::string::npos);
  CHECK(svg.find("fill=\"" + std::string(status_colour(BufferKind::Ring, protocol::slot::FAULT)) + "\"") !=
        std::string::npos);
  CHECK(svg.find("class=\"fault-row\"") != std::string::npos);

  // 131,072 slots, 2 a cell: one FAULT among DONE slots still paints its cell.
  Bytes big = encode_empty_ring(1u << 17);
  for (uint32_t i = 0; i < (1u << 17); ++i) detail::write_word(big, i * 16, protocol::slot::DONE);
  detail::write_word(big, 1001 * 16, protocol::slot::FAULT);
  const std::string binned = slot_map_svg(BufferKind::Ring, big, "big");
  CHECK(binned.find("2 slots per cell (binned)") != std::string::npos);
  CHECK(binned.find("data-slots-per-cell=\"2\"") != std::string::npos);
  const SlotMapLayout l = slot_map_layout(1u << 17);
  const auto [x, y] = l.centre_of(1001);
  const std::string cell = "<rect x=\"" + std::to_string(x - l.cell_px / 2) + "\" y=\"" + std::to_string(y - l.cell_px / 2) +
                           "\" width=\"" + std::to_string(l.cell_px) + "\" height=\"" + std::to_string(l.cell_px) +
                           "\" fill=\"#d62728\"/>";
  CHECK_MESSAGE(binned.find(cell) != std::string::npos, cell);
}

TEST_CASE("IO queues have OK and ERROR; other kinds have no map") {
  Bytes q = encode_empty_io_queue(8);
  detail::write_word(q, 8 + protocol::io::word::STATUS, protocol::io::status::ERROR);
  const std::string svg = slot_map_svg(BufferKind::IoQueue, q, "q");
  CHECK(svg.find("q: IO queue of 8 IO slots") != std::string::npos);
  CHECK(svg.find("1 ERROR slot, the first at slot 1") != std::string::npos);
  CHECK_THROWS_AS(slot_map_svg(BufferKind::Control, Bytes(640, 0), "c"), Error);
  CHECK_THROWS_WITH_AS(slot_map_svg(BufferKind::Ring, Bytes(65, 0), "r"), doctest::Contains("not whole 64-byte slots"),
                       Error);
}

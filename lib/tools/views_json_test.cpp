#include <doctest/doctest.h>

#include "vyre/detail/words.h"
#include "vyre/io_queue.h"
#include "vyre/ring.h"
#include "vyre/slot_publish.h"
#include "vyre/views.h"

using namespace vyre;

TEST_CASE("a JSON line is the compact form of the document's slot object") {
  Bytes ring = encode_empty_ring(8);
  const uint32_t args[] = {7, 160, 4294967295u};
  publish_slot(ring, 1, 3, protocol::opcode::STORE_U32, args);
  publish_slot(ring, 2, 0, 0x100, args);
  const Bytes miss = encode_load_miss(42, true);
  std::copy(miss.begin(), miss.end(), ring.begin() + 3 * 64);
  detail::write_word(ring, 4 * 16, 9);  // a status the protocol does not name
  detail::write_word(ring, 5 * 16 + protocol::OPCODE_WORD, protocol::opcode::PACKED_SLOT);
  for (uint32_t i = 0; i < 8; ++i) CHECK(slot_json_line(decode_slot(ring, i)) == slot_json(decode_slot(ring, i)).dump());
  const uint32_t slots[] = {1, 3, 4};
  const std::string lines = ring_json_lines(ring, slots);
  std::string expected;
  const nlohmann::json doc = ring_json(ring, slots);
  for (const auto& item : doc["slots"]) expected += item.dump() + "\n";
  CHECK(lines == expected);
}

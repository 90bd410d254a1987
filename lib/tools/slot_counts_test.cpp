#include <doctest/doctest.h>

#include "vyre/detail/words.h"
#include "vyre/ring.h"
#include "vyre/slot_counts.h"

using namespace vyre;

TEST_CASE("counts by status, opcode and tenant; EMPTY slots under their status only") {
  Bytes ring = encode_empty_ring(6);
  const uint32_t slots[][3] = {{protocol::slot::DONE, protocol::opcode::STORE_U32, 0},
                               {protocol::slot::DONE, protocol::opcode::STORE_U32, 1},
                               {protocol::slot::FAULT, 0x100, 1},
                               {protocol::slot::PUBLISHED, protocol::opcode::PRINTF, 40}};
  for (uint32_t i = 0; i < 4; ++i)
    for (uint32_t w = 0; w < 3; ++w) detail::write_word(ring, i * 16 + w, slots[i][w]);
  const uint32_t all[] = {0, 1, 2, 3, 4, 5};
  const SlotCounts c = count_ring_slots(ring, all);
  CHECK(c.selected == 6);
  CHECK(c.by_status == std::map<uint32_t, uint64_t>{{0, 2}, {1, 1}, {3, 2}, {7, 1}});
  CHECK(c.by_opcode == std::map<uint32_t, uint64_t>{{1, 2}, {0x100, 1}, {0xFFFE, 1}});
  CHECK(c.by_tenant == std::map<uint32_t, uint64_t>{{0, 1}, {1, 2}, {40, 1}});
  CHECK(slot_counts_json(c).dump() ==
        R"({"by_opcode":{"0x00000100":1,"PRINTF":1,"STORE_U32":2},"by_status":{"DONE":2,"EMPTY":2,"FAULT":1,)"
        R"("PUBLISHED":1},"by_tenant":{"0":1,"1":2,"40":1},"byte_len":384,"kind":"ring","selected":6,"slot_count":6})");
  CHECK(slot_counts_text(c) ==
        "ring: 6 slots (384 bytes), 6 selected\n"
        "status              slots\n"
        "EMPTY                   2\n"
        "PUBLISHED               1\n"
        "DONE                    2\n"
        "FAULT                   1\n"
        "opcode              slots\n"
        "STORE_U32               2\n"
        "0x00000100              1\n"
        "PRINTF                  1\n"
        "tenant              slots\n"
        "0                       1\n"
        "1                       2\n"
        "40                      1\n");
  const uint32_t some[] = {2};
  CHECK(count_ring_slots(ring, some).by_status == std::map<uint32_t, uint64_t>{{7, 1}});
}

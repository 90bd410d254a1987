// Uses only vyre::wire from an installed vyre-tools, the way a program that
// reads captured buffers would: no OpenCL library is linked. Publishes two
// slots into a fresh ring, decodes it back and counts its slots by status.
#include <cstdio>

#include "vyre/error.h"
#include "vyre/ring.h"
#include "vyre/slot_publish.h"

int main() {
  try {
    vyre::Bytes ring = vyre::encode_empty_ring(8);
    const uint32_t store[] = {42, 160};
    vyre::publish_slot(ring, 0, 0, vyre::protocol::opcode::STORE_U32, store);
    vyre::publish_slot(ring, 5, 1, vyre::protocol::opcode::NOP, {});
    const vyre::RingView view = vyre::decode_ring(ring);
    const vyre::StatusCounts counts = vyre::count_statuses(view);
    std::printf("slots = %u, published = %llu, empty = %llu, slot 0 opcode = %s\n", view.slot_count,
                static_cast<unsigned long long>(counts.by_status[vyre::protocol::slot::PUBLISHED]),
                static_cast<unsigned long long>(counts.by_status[vyre::protocol::slot::EMPTY]),
                std::string(*vyre::protocol::opcode::name(view.slots[0].opcode)).c_str());
    return 0;
  } catch (const vyre::Error& e) {
    std::fprintf(stderr, "vyre-wire-consumer: %s\n", e.what());
    return 1;
  }
}

#include <doctest/doctest.h>

#include "vyre/dispatch_buffers.h"
#include "vyre/error.h"
#include "vyre/ring.h"
#include "vyre/slot_publish.h"
#include "error_text.h"
#include "golden_vectors.h"

using namespace vyre;
using testing::error_of;

TEST_CASE("the default buffers of a dispatch pass their own check") {
  const DispatchBuffers b = default_dispatch_buffers(encode_empty_ring(8));
  CHECK(b.slot_count() == 8);
  CHECK(b.control.size() == (protocol::control::OBSERVABLE_BASE + kDefaultObservables) * 4);
  CHECK(b.debug_log.size() == (1 + protocol::debug::RECORD_CAPACITY * 4) * 4);
  CHECK(b.io_queue.size() == protocol::io::IO_SLOT_COUNT * protocol::io::IO_SLOT_BYTES);
  CHECK_NOTHROW(CheckedBuffers{b});
}

TEST_CASE("CheckedBuffers names the buffer that breaks the rules") {
  DispatchBuffers b = default_dispatch_buffers(encode_empty_ring(8));
  b.ring.resize(100);
  CHECK(error_of([&] { CheckedBuffers(b, {"c.bin", "r.bin", "d.bin", "q.bin"}); })
            .starts_with("r.bin, byte offset 64: a ring of 100 bytes is not a whole number of 64-byte slots"));
  b = default_dispatch_buffers(Bytes{});
  CHECK(error_of([&] { CheckedBuffers{b}; }).starts_with("ring, byte offset 0: empty"));
}

// Upstream's functions of this concept in the golden manifest
// (golden_vectors_test.cpp walks it).
namespace vyre::testing {
namespace {
using nlohmann::json;
}  // namespace

void add_dispatch_buffers_vectors(GoldenHandlers& h) {
  auto resident_buffer = [](const DispatchBuffers& b, const std::string& which) {
    if (which == "control") return b.control;
    if (which == "ring") return b.ring;
    if (which == "debug_log") return b.debug_log;
    return b.io_queue;
  };
  h["MegakernelResidentBuffers::new"] = [resident_buffer](const json& e, Outcome& o) {
    const json& p = e["params"];
    auto b = resident_buffers(p["slot_count"], p["tenant_count"], p["observable_slots"]);
    o.bytes = resident_buffer(b, p["buffer"]);
  };
  h["MegakernelResidentBuffers::reset"] = [resident_buffer](const json& e, Outcome& o) {
    const json& p = e["params"];
    REQUIRE(p["prior"] == "new(8,2,4) then publish_slot(3,1,STORE_U32,[7,9])");
    auto b = resident_buffers(8, 2, 4);
    const uint32_t args[2] = {7, 9};
    publish_slot(b.ring, 3, 1, protocol::opcode::STORE_U32, args);
    reset_resident_buffers(b, 8, p["tenant_count"], p["observable_slots"]);
    o.bytes = resident_buffer(b, p["buffer"]);
  };
  h["MegakernelResidentBuffers::from_parts"] = [](const json& e, Outcome& o) {
    const json& p = e["params"];
    resident_buffers_from_parts(p["slot_count"], Bytes(p["control_len"].get<size_t>()), Bytes(p["ring_len"].get<size_t>()),
                                Bytes(p["debug_log_len"].get<size_t>()), Bytes(p["io_queue_len"].get<size_t>()));
    o.value = nullptr;
  };
}

}  // namespace vyre::testing

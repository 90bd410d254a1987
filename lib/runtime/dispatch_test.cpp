// run_dispatch: the launches, the host IO pump between them, and the end of
// a dispatch whose LOAD_MISS requests cannot make progress.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "vyre/detail/words.h"
#include "vyre/dispatch.h"
#include "vyre/io_queue.h"
#include "vyre/opencl_dispatch.h"
#include "vyre/reference_interpreter.h"
#include "vyre/ring.h"
#include "vyre/slot_publish.h"

using namespace vyre;

TEST_CASE("the host pump completes known resources OK and unknown ones ERROR") {
  const auto file = std::filesystem::temp_directory_path() / "vyre_pump_resource.bin";
  std::ofstream(file, std::ios::binary) << "12345";
  Bytes queue = encode_empty_io_queue(3);
  for (uint32_t q = 0; q < 2; ++q) {
    detail::write_word(queue, q * 8 + protocol::io::word::SRC_HANDLE, 7 + q);
    detail::write_word(queue, q * 8 + protocol::io::word::STATUS, protocol::slot::PUBLISHED);
  }
  const auto serviced = pump_io_queue(queue, {{7, file.string()}}, 4);
  REQUIRE(serviced.size() == 2);
  CHECK(serviced[0].ok);
  CHECK(serviced[0].bytes == 5);
  CHECK(serviced[0].pass == 4);
  CHECK_FALSE(serviced[1].ok);
  CHECK(serviced[1].error == "resource id not in the resource map");
  CHECK(decode_io_queue(queue).slots[0].status == protocol::io::status::OK);
  CHECK(decode_io_queue(queue).slots[1].status == protocol::io::status::ERROR);
  CHECK(decode_io_queue(queue).slots[2].status == protocol::slot::EMPTY);
  std::filesystem::remove(file);
}

TEST_CASE("LOAD_MISS against a queue nobody completes ends with the stalled slots reported") {
  OpenClRunner device(OpenClOptions{});
  DispatchBuffers b = default_dispatch_buffers(encode_empty_ring(3));
  b.io_queue = encode_empty_io_queue(1);
  detail::write_word(b.io_queue, 6, protocol::slot::CLAIMED);  // claimed by someone else, never completed
  for (uint32_t s = 0; s < 2; ++s) {
    const Bytes slot = encode_load_miss(7 + s, false);
    std::copy(slot.begin(), slot.end(), b.ring.begin() + s * 64);
  }
  publish_slot(b.ring, 2, 0, protocol::opcode::NOP, {});
  for (PassRunner* runner : {static_cast<PassRunner*>(&device), static_cast<PassRunner*>(nullptr)}) {
    ReferenceRunner reference;
    const DispatchResult r = run_dispatch(runner ? *runner : reference, CheckedBuffers(b), {});
    CHECK(r.io_stalled_queue_full == 2);
    CHECK(r.io_stalled_waiting == 0);
    CHECK(decode_slot(r.buffers.ring, 0).status == protocol::slot::PUBLISHED);
    CHECK(decode_slot(r.buffers.ring, 2).status == protocol::slot::DONE);
    CHECK(r.launches == 2);
  }
}

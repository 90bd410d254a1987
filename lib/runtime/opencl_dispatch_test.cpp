// The OpenCL megakernel against the CPU reference interpreter on 1,000
// seeded random rings (lib/testing/ring_generator.h says how the rings stay
// race-free). The device is the default one (the first GPU, else the first
// device; VYRE_DEVICE picks another): on a machine without any OpenCL
// device this test fails, it never skips.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stop_token>

#include "ring_generator.h"
#include "vyre/slot_publish.h"
#include "vyre/detail/words.h"
#include "vyre/error.h"
#include "vyre/opencl_dispatch.h"
#include "vyre/protocol.h"
#include "vyre/reference_interpreter.h"

using namespace vyre;
namespace op = protocol::opcode;

namespace {

using Record = std::array<uint32_t, 4>;

// Which IO slot a LOAD_MISS lane takes is a race on the device, so both
// results forget it: arg2 of LOAD_MISS slots is cleared and the IO slots are
// compared as a sorted list.
void normalize_io(DispatchBuffers& b) {
  for (uint32_t s = 0; s < b.slot_count(); ++s)
    if (decode_slot(b.ring, s).opcode == protocol::opcode::LOAD_MISS)
      detail::write_word(b.ring, uint64_t{s} * 16 + protocol::ARG0_WORD + 2, 0);
  std::vector<Bytes> slots;
  for (size_t q = 0; q < b.io_queue.size(); q += 32) slots.emplace_back(b.io_queue.begin() + q, b.io_queue.begin() + q + 32);
  std::sort(slots.begin(), slots.end());
  b.io_queue.clear();
  for (const auto& s : slots) b.io_queue.insert(b.io_queue.end(), s.begin(), s.end());
}

std::multiset<Record> stored_records(const DispatchBuffers& b) {
  std::multiset<Record> out;
  for (const auto& r : decode_debug_log(b.debug_log).records) out.insert({r.fmt_id, r.args[0], r.args[1], r.args[2]});
  return out;
}

// Every PRINTF that ran: the records the log would hold with room for all.
std::multiset<Record> printed_records(const DispatchBuffers& b) {
  std::multiset<Record> out;
  for (uint32_t s = 0; s < b.slot_count(); ++s) {
    const SlotView v = decode_slot(b.ring, s);
    if (v.status == protocol::slot::DONE && v.opcode == protocol::opcode::PRINTF)
      out.insert({v.args[0], v.args[1], v.args[2], s * 16});
  }
  return out;
}

}  // namespace

TEST_CASE("1000 random rings give identical buffers on OpenCL and on the reference interpreter") {
  const uint32_t seed = std::getenv("VYRE_TEST_SEED") ? std::strtoul(std::getenv("VYRE_TEST_SEED"), nullptr, 10) : 20261122;
  CAPTURE(seed);
  std::map<uint32_t, std::unique_ptr<OpenClRunner>> devices;
  for (uint32_t wg : {1u, 7u, 64u, 256u}) {
    OpenClOptions options;
    options.workgroup_size = wg;
    devices[wg] = std::make_unique<OpenClRunner>(options);
  }
  MESSAGE("device: " << devices[64]->device_name());
  testing::RingGenerator gen(seed, testing::resource_file("vyre_differential_resource.bin", "resource bytes"));
  std::mt19937 rng(seed);
  uint64_t faults = 0, printfs = 0, overflows = 0, io = 0, slots = 0;
  for (int i = 0; i < 1000; ++i) {
    CAPTURE(i);
    testing::GeneratedRing g = gen.next();
    DispatchOptions options;
    options.resources = g.resources;
    if (i % 8 == 0) {
      options.mode = DispatchMode::Persistent;
      options.max_iterations = 2 + rng() % 3;
    }
    const uint32_t wg = std::array<uint32_t, 4>{1, 7, 64, 256}[rng() % 4];
    ReferenceRunner reference(wg);
    DispatchResult want = run_dispatch(reference, CheckedBuffers(g.buffers), options);
    DispatchResult got = run_dispatch(*devices[wg], CheckedBuffers(g.buffers), options);
    normalize_io(want.buffers);
    normalize_io(got.buffers);
    REQUIRE(got.buffers.control == want.buffers.control);
    REQUIRE(got.buffers.ring == want.buffers.ring);
    REQUIRE(got.buffers.io_queue == want.buffers.io_queue);
    REQUIRE(got.faults == want.faults);
    REQUIRE(got.launches == want.launches);
    // The report counts every FAULT slot.
    const RingView ring = decode_ring(got.buffers.ring);
    REQUIRE(got.faults == std::count_if(ring.slots.begin(), ring.slots.end(),
                                        [](const SlotView& s) { return s.status == protocol::slot::FAULT; }));
    // PRINTF records land in lane order on the device: compare as sets, and
    // when the log overflows, which records fit is a race too.
    const DebugLogView dg = decode_debug_log(got.buffers.debug_log), dw = decode_debug_log(want.buffers.debug_log);
    REQUIRE(dg.cursor == dw.cursor);
    REQUIRE(dg.records.size() == dw.records.size());
    const auto printed = printed_records(want.buffers);
    const auto stored = stored_records(got.buffers);
    if (dg.dropped == 0) {
      REQUIRE(stored == printed);
    } else {
      ++overflows;
      REQUIRE(std::includes(printed.begin(), printed.end(), stored.begin(), stored.end()));
    }
    faults += got.faults;
    printfs += printed.size();
    io += got.io.size();
    slots += ring.slot_count;
  }
  MESSAGE(slots << " slots, " << faults << " faults, " << printfs << " PRINTFs, " << overflows
                << " overflowed logs, " << io << " IO requests serviced");
  CHECK(faults > 100);
  CHECK(overflows > 50);
  CHECK(io > 100);
}

// Rings of 8 MiB and more run their first pass in chunks whose uploads,
// kernels and change reads overlap (OpenClRunner::pipeline_first_pass): the
// same buffers as the reference, for one launch and for several (LOAD_MISS),
// on a runner's first dispatch (ordinary memory), on later ones (pinned
// staging), from a kept start, and in persistent mode with one iteration.
// First a dispatch is stopped between begin() and its launch, while the
// chunks' uploads from the caller's buffers may still run: it must wait for
// them before those buffers go, and leave the runner as good as new.
TEST_CASE("large rings: the overlapped first pass gives the reference's buffers") {
  testing::RingGenerator gen(7, testing::resource_file("vyre_differential_resource.bin", "resource bytes"));
  OpenClOptions options;
  options.workgroup_size = 64;
  OpenClRunner device(options);
  ReferenceRunner reference(64);
  {
    std::stop_source stop;
    stop.request_stop();
    DispatchOptions o;
    o.cancel = stop.get_token();
    const testing::GeneratedRing g = gen.next(262144, false);
    try {
      run_dispatch(device, CheckedBuffers(g.buffers), o);
      FAIL("a stopped dispatch ran");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::Cancelled);
      CHECK(std::string(e.what()).find("before launch 1") != std::string::npos);
    }
  }
  uint32_t one_launch = 0;
  for (int i = 0; i < 6; ++i) {
    CAPTURE(i);
    // 131,072 slots are the 8 MiB from which a pass is split; one more is
    // a last chunk with a partial work-group.
    testing::GeneratedRing g = gen.next(i % 2 == 0 ? 131072 : 131073 + 4096 * i, i % 3 != 0);
    DispatchOptions o;
    o.resources = g.resources;
    if (i == 3) {
      o.mode = DispatchMode::Persistent;
      o.max_iterations = 1;
    }
    if (i == 4) {
      device.keep_start(g.buffers);
      o.start_is_kept = true;
    }
    DispatchResult want = run_dispatch(reference, CheckedBuffers(g.buffers), o);
    DispatchResult got = run_dispatch(device, CheckedBuffers(g.buffers), o);
    normalize_io(want.buffers);
    normalize_io(got.buffers);
    REQUIRE(got.launches == want.launches);
    REQUIRE(got.buffers.control == want.buffers.control);
    REQUIRE(got.buffers.ring == want.buffers.ring);
    REQUIRE(got.buffers.io_queue == want.buffers.io_queue);
    REQUIRE(got.faults == want.faults);
    const auto printed = printed_records(want.buffers);
    const auto stored = stored_records(got.buffers);
    REQUIRE(decode_debug_log(got.buffers.debug_log).cursor == decode_debug_log(want.buffers.debug_log).cursor);
    REQUIRE(std::includes(printed.begin(), printed.end(), stored.begin(), stored.end()));
    MESSAGE("ring " << i << ": " << got.launches << " launches, " << got.faults << " faults, " << got.io.size()
                    << " IO requests");
    one_launch += got.launches == 1;
  }
  CHECK(one_launch == 2);
}

// With DispatchOptions::result_ring_in_runner a pipelined pass brings the
// ring itself back into the runner's pinned memory: from a runner's second
// dispatch on, a one-launch result's ring stays there (its buffers.ring
// empty), while an earlier result that still holds its ring keeps it; a
// runner's first dispatch and one of several launches bring it into the
// caller's buffers as before. Then results that are dropped leave their
// memory to the next dispatch. Every ring is the reference's.
TEST_CASE("large rings: a result's ring left in the runner's memory") {
  testing::RingGenerator gen(11, testing::resource_file("vyre_runner_ring_resource.bin", "resource bytes"));
  OpenClOptions options;
  options.workgroup_size = 64;
  auto device = std::make_unique<OpenClRunner>(options);
  ReferenceRunner reference(64);
  struct Case {
    uint32_t slots;
    bool load_misses, kept, persistent, stays;
  };
  const Case cases[] = {{131072, false, false, false, false},  // the runner's first dispatch: ordinary memory
                        {131073, false, false, false, true},   // a partial last work-group
                        {200000, false, true, false, true},    // from a kept start
                        {131072, true, false, false, false},   // LOAD_MISS: several launches
                        {140000, false, false, true, true},    // persistent, one iteration a launch
                        {131072, false, false, false, true}};
  std::vector<std::pair<DispatchResult, Bytes>> held;  // results kept alive across later dispatches
  for (size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(i);
    const Case& c = cases[i];
    testing::GeneratedRing g = gen.next(c.slots, c.load_misses);
    DispatchOptions o;
    o.resources = g.resources;
    o.result_ring_in_runner = true;
    if (c.persistent) {
      o.mode = DispatchMode::Persistent;
      o.max_iterations = 1;
    }
    if (c.kept) {
      device->keep_start(g.buffers);
      o.start_is_kept = true;
    }
    DispatchResult want = run_dispatch(reference, CheckedBuffers(g.buffers), o);
    DispatchResult got = run_dispatch(*device, CheckedBuffers(g.buffers), o);
    REQUIRE(static_cast<bool>(got.runner_ring.owner) == c.stays);
    CHECK(got.buffers.ring.empty() == c.stays);
    REQUIRE(got.launches == want.launches);
    CHECK((got.launches == 1) == !c.load_misses);
    normalize_io(want.buffers);
    normalize_io(got.buffers);
    REQUIRE(std::ranges::equal(got.ring(), want.ring()));
    REQUIRE(got.buffers.control == want.buffers.control);
    REQUIRE(got.buffers.io_queue == want.buffers.io_queue);
    held.emplace_back(std::move(got), std::move(want.buffers.ring));
  }
  // Every held ring is still its own, after the runner too.
  device.reset();
  for (size_t i = 0; i < held.size(); ++i) {
    CAPTURE(i);
    CHECK(std::ranges::equal(held[i].first.ring(), held[i].second));
  }
  // Dropped results: their memory comes back, smaller rings after larger.
  device = std::make_unique<OpenClRunner>(options);
  const uint8_t* last = nullptr;
  int reused = 0;
  for (uint32_t slots : {131072u, 200000u, 150000u, 131073u}) {
    CAPTURE(slots);
    testing::GeneratedRing g = gen.next(slots, false);
    DispatchOptions o;
    o.result_ring_in_runner = true;
    const DispatchResult want = run_dispatch(reference, CheckedBuffers(g.buffers), o);
    const DispatchResult got = run_dispatch(*device, CheckedBuffers(g.buffers), o);
    REQUIRE(std::ranges::equal(got.ring(), want.ring()));
    reused += got.runner_ring.owner && got.ring().data() == last;
    last = got.runner_ring.owner ? got.ring().data() : nullptr;
  }
  CHECK(reused == 2);
}

TEST_CASE("SHUTDOWN, set before the dispatch, stops every lane") {
  OpenClRunner device(OpenClOptions{});
  DispatchBuffers b = default_dispatch_buffers(encode_empty_ring(64));
  b.control = encode_control(true, 1, 16);
  const uint32_t args[2] = {5, 40};
  for (uint32_t s = 0; s < 64; ++s) publish_slot(b.ring, s, 0, protocol::opcode::STORE_U32, args);
  const DispatchResult r = run_dispatch(device, CheckedBuffers(b), {});
  CHECK(r.buffers.ring == b.ring);
  CHECK(r.buffers.control == b.control);
}

TEST_CASE("a SHUTDOWN slot sets the word and is drained") {
  OpenClRunner device(OpenClOptions{});
  DispatchBuffers b = default_dispatch_buffers(encode_empty_ring(1));
  publish_slot(b.ring, 0, 0, protocol::opcode::SHUTDOWN, {});
  DispatchOptions persistent;
  persistent.mode = DispatchMode::Persistent;
  persistent.max_iterations = 5;
  const DispatchResult r = run_dispatch(device, CheckedBuffers(b), persistent);
  CHECK(read_done_count(r.buffers.control) == 1);
  CHECK(detail::word_at(r.buffers.control, protocol::control::SHUTDOWN) == 1);
  CHECK(decode_slot(r.buffers.ring, 0).status == protocol::slot::DONE);
}

namespace {
std::string source_text(const std::string& relative) {
  std::ifstream in(std::string(VYRE_SOURCE_DIR) + "/" + relative);
  REQUIRE_MESSAGE(in.good(), "cannot read " << relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

TEST_CASE("the kernel and the reference interpreter name every opcode, and the kernel gets every value") {
  const std::string kernel = source_text("kernels/megakernel.cl");
  const std::string reference = source_text("lib/runtime/reference_interpreter.cpp");
  const std::string options = megakernel_build_options();
  for (const auto& o : op::kOpcodes) {
    const std::string name(o.name);
    CHECK_MESSAGE(kernel.find(name) != std::string::npos, "kernel lacks " << name);
    CHECK_MESSAGE(reference.find(name) != std::string::npos, "reference interpreter lacks " << name);
    CHECK_MESSAGE(options.find(" -DVYRE_OP_" + name + "=" + std::to_string(o.value) + "u") != std::string::npos, name);
  }
}

// The reference interpreter on arbitrary buffers: the input is split into
// control, ring, debug log and IO queue; buffers that pass validation run one
// pass (every index in a random ring must be handled), and persistent passes.
#include "fuzz_common.h"
#include "vyre/error.h"
#include "vyre/reference_interpreter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vyre;
  const auto parts = fuzz::split<4>(fuzz::bytes(data, size));
  DispatchBuffers b{Bytes(parts[0].begin(), parts[0].end()), Bytes(parts[1].begin(), parts[1].end()),
                    Bytes(parts[2].begin(), parts[2].end()), Bytes(parts[3].begin(), parts[3].end())};
  // Small inputs rarely make a valid control buffer: pad it to 160 words so
  // the interpreter runs on most inputs.
  if (b.control.size() < 640) b.control.resize(640, 0);
  b.control.resize(b.control.size() / 4 * 4);
  if (b.debug_log.size() < 4) b.debug_log.resize(4, 0);
  b.debug_log.resize(4 + (b.debug_log.size() - 4) / 16 * 16);  // the cursor and whole records
  if (b.ring.size() < 64) b.ring.resize(64, 0);
  b.ring.resize(b.ring.size() / 64 * 64);
  if (b.io_queue.size() < 32) b.io_queue.resize(32, 0);
  b.io_queue.resize(std::min<size_t>(b.io_queue.size() / 32 * 32, 64 * 32));
  try {
    CheckedBuffers checked(b);
    std::array<uint32_t, stats::WORDS> st{};
    for (int pass = 0; pass < 3; ++pass) reference_pass(b, st, 1 + (size % 64));
    ReferenceRunner runner(16);
    DispatchOptions options;
    options.resources[7] = "/dev/null";
    (void)run_dispatch(runner, std::move(checked), options);
  } catch (const Error&) {
  }
  return 0;
}

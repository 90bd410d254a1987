// Uses libvyre and libgrafos from an installed vyre-tools: encodes a ring
// from a JSON spec, dispatches it on the CPU reference interpreter, and sums
// words with a built-in tasklet on host threads.
#include <cstdio>
#include <vector>

#include "grafos/builtin_tasklets.h"
#include "vyre/control.h"
#include "vyre/dispatch.h"
#include "vyre/error.h"
#include "vyre/reference_interpreter.h"
#include "vyre/ring_spec.h"

int main() {
  try {
    const vyre::Bytes ring = vyre::encode_ring_spec_text(
        R"({"slot_count": 4, "slots": [{"opcode": "ATOMIC_ADD", "args": [40, 160]},
                                       {"opcode": "ATOMIC_ADD", "args": [2, 160]}]})",
        "inline spec");
    vyre::ReferenceRunner runner;
    const vyre::DispatchResult r =
        vyre::run_dispatch(runner, vyre::CheckedBuffers(vyre::default_dispatch_buffers(ring)), vyre::DispatchOptions{});
    std::printf("observable 0 = %u, done = %u\n", vyre::read_observable(r.buffers.control, 0),
                vyre::read_done_count(r.buffers.control));

    const std::vector<uint32_t> words = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const auto bytes = std::span(reinterpret_cast<const uint8_t*>(words.data()), words.size() * 4);
    const grafos::BuiltinTasklet& sum = *grafos::find_builtin_tasklet("sum");
    const auto out = sum.run_host(grafos::builtin_config(sum, bytes.size(), 3), bytes);
    uint64_t total = 0;
    for (size_t i = 0; i < 8 && i < out.output.size(); ++i) total |= uint64_t{out.output[i]} << (8 * i);
    std::printf("sum = %llu\n", static_cast<unsigned long long>(total));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vyre-consumer: %s\n", e.what());
    return 1;
  }
}

// JSON ring specs: parse, validate and encode.
#include "fuzz_common.h"
#include "vyre/error.h"
#include "vyre/ring_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto ring = vyre::encode_ring_spec_text(vyre::fuzz::text(data, size), "fuzz.json");
    if (ring.size() % 64 != 0) __builtin_trap();
  } catch (const vyre::Error&) {
  }
  return 0;
}

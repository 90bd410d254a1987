// LOAD_MISS resource maps.
#include "fuzz_common.h"
#include "vyre/resource_map.h"
#include "vyre/dispatch.h"
#include "vyre/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)vyre::parse_resource_map(vyre::fuzz::text(data, size), "fuzz/resources.json");
  } catch (const vyre::Error&) {
  }
  return 0;
}

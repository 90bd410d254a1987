// PRINTF format tables: parse, then format records with every fmt id present.
#include "fuzz_common.h"
#include "vyre/error.h"
#include "vyre/format_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto table = vyre::FormatTable::parse_text(vyre::fuzz::text(data, size), "fuzz.json");
    for (uint32_t id = 0; id < 64; ++id) (void)table.format(vyre::DebugRecord{id, {id, ~id, id * 16}});
  } catch (const vyre::Error&) {
  }
  return 0;
}

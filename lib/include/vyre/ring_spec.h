// JSON ring specs (schemas/ring-spec.schema.json) encoded into ring bytes
// through the library's publish paths, so the bytes are exactly what
// upstream's publish_slot / publish_packed_slot / encode_load_miss write.
//
// Spec: {"slot_count": N, "tenant": T?, "slots": [...], "batch_fence": {"tag": X}?}
// Slot: {"slot": i?, "opcode": NAME|number, "tenant": t?, "args": [<=12 u32]}
//     | {"slot": i?, "opcode": "PACKED_SLOT", "tenant": t?, "ops": [{"opcode": u8, "args": [...]}]}
//     | {"slot": i?, "opcode": "LOAD_MISS", "resource_id": r, "prefetch": bool?}
//     | {"slot": i?, "tenant": t?, "work_item": {"op", "input", "output", "param"}}
// Errors are InvalidInput naming "<source>: <JSON path>".
#pragma once

#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "vyre/control.h"

namespace vyre {

Bytes encode_ring_spec(const nlohmann::json& spec, std::string_view source);
// Parses `text` first; syntax errors name the line and column.
Bytes encode_ring_spec_text(std::string_view text, std::string_view source);

}  // namespace vyre

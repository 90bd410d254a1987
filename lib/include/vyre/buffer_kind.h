// The kinds of buffer the tools read and write, in one table: the name a
// user types (--kind ring), how to build one, and the rules a buffer read
// from a file must meet. inspect, diff, decode-debug, dispatch and the CLI's
// choice lists all take their kinds from here.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vyre/control.h"

namespace vyre {

enum class BufferKind { Control, Ring, DebugLog, IoQueue, Replay };

struct BufferKindInfo {
  BufferKind kind;
  std::string_view name;     // as --kind takes it: "debug-log"
  std::string_view builder;  // what builds one: "vyre encode-debug-log"
};

std::span<const BufferKindInfo> buffer_kinds();
const BufferKindInfo& buffer_kind_info(BufferKind kind);
std::optional<BufferKind> buffer_kind_from_name(std::string_view name);
// The names, in table order, for option choice lists.
std::vector<std::string> buffer_kind_names();

// Applies the encoders' rules to a buffer read from `source`: whole words,
// whole slots or records, at least one ring or IO slot, no more than the
// encoders allow. A 0-byte file is never a ring, so a CI check cannot pass
// on two empty captures. Throws InvalidInput naming `source` and the offset.
void check_buffer(BufferKind kind, ByteSpan bytes, std::string_view source);

}  // namespace vyre

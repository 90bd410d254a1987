// Semantic differences between two buffers of the same kind, from the same
// decoded views inspect prints: per ring slot (status, opcode, tenant,
// priority, args), per named control word (metrics by opcode name,
// observables), per IO slot field, and added/removed debug-log and replay
// records (compared as multisets: lanes print in any order). Slots whose
// bytes are equal are not decoded, so two equal captures compare at the
// speed of memcmp.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vyre/buffer_kind.h"
#include "vyre/control.h"

namespace vyre {

struct FieldDifference {
  std::string where;  // "slot 3", "control", "io slot 2"
  std::string field;  // "status", "metrics.STORE_U32", "observables[4]"
  nlohmann::json a, b;
};

struct BufferDiff {
  std::string kind;
  std::vector<FieldDifference> changed;
  std::vector<nlohmann::json> added, removed;  // records only in B / only in A
  bool equal() const { return changed.empty() && added.empty() && removed.empty(); }
};

// `ignore` names fields to skip (the kind's `fields` in buffer_views.h: for
// rings status, opcode, tenant, priority, args; for control any top-level
// name; for the debug log cursor, dropped, records; ...). Throws
// vyre::Error for an unknown field, or a buffer that does not decode, naming
// it by `name_a` or `name_b`.
BufferDiff diff_buffers(BufferKind kind, ByteSpan a, ByteSpan b, const std::set<std::string>& ignore,
                        const std::string& name_a = "A", const std::string& name_b = "B");

std::string buffer_diff_text(const BufferDiff& diff);
nlohmann::json buffer_diff_json(const BufferDiff& diff);
// buffer_diff_json(diff).dump() plus a newline, written without building the
// document (a diff of a million changed fields).
std::string buffer_diff_json_line(const BufferDiff& diff);

}  // namespace vyre

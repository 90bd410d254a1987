// How each kind of buffer (buffer_kind.h) is shown, in one table: decoded
// from its bytes and rendered as a table, a JSON document
// (schemas/inspect-<kind>.schema.json), JSON lines or counts, for the slots
// or records a selection picks (buffer_selection.h); the fields
// `vyre diff --ignore` takes, and how two buffers of the kind are compared.
// inspect, decode-debug and diff all go through it, so they cannot disagree.
#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "vyre/buffer_diff.h"
#include "vyre/buffer_kind.h"
#include "vyre/buffer_selection.h"
#include "vyre/format_table.h"
#include "vyre/slot_counts.h"

namespace vyre {

struct ViewOptions {
  Selection selection;                   // which slots or records (all non-EMPTY ones by default)
  const FormatTable* formats = nullptr;  // PRINTF format strings for debug logs
};

struct BufferKindView {
  BufferKind kind;
  nlohmann::json (*json)(ByteSpan bytes, const ViewOptions& options);
  std::string (*text)(ByteSpan bytes, const ViewOptions& options);
  // One compact JSON object per selected slot or record, one per line: the
  // items of the document's "slots" or "records".
  std::string (*json_lines)(ByteSpan bytes, const ViewOptions& options);
  // Counts of the selected slots (slot_counts.h); nullptr for kinds without
  // slots.
  SlotCounts (*counts)(ByteSpan bytes, const ViewOptions& options);
  // The fields `vyre diff --ignore` takes for this kind.
  std::span<const std::string_view> fields;
  // Adds the differences of `a` and `b` (decoded buffers of this kind) to
  // `out`, leaving out the fields in `ignore`.
  void (*diff)(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& out);
};

const BufferKindView& buffer_view(BufferKind kind);

}  // namespace vyre

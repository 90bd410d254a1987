// The kinds of buffer the tools read and write, in one table: the name a
// user types (--kind ring), how to build one, the rules a buffer read from a
// file must meet, and telling the kind of a file from its bytes. inspect,
// diff, report, decode-debug, dispatch and the CLI's choice lists all take
// their kinds from here.
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

// A rule a buffer breaks: where, and what ("word 2 (TENANT_BASE) is 0 ...").
struct BufferRuleBreak {
  uint64_t offset = 0;
  std::string what;
};

// For a buffer a command is about to run as `kind` (vyre dispatch's --ring,
// --control, --io-queue): a note when it breaks the kind's content rules
// below and keeps those of a control buffer, ring, IO queue or replay log
// instead (a control buffer given as the ring), naming the rule, the
// offset and what it looks like. Not an error: a dispatch's own stores may
// break a rule of a buffer it carries (the priority offsets are control
// words), and the kernel bound-checks whatever a buffer holds.
std::optional<std::string> kind_mismatch_note(BufferKind kind, ByteSpan bytes, std::string_view source);

// The layout rules of a kind: check_buffer's size rules, then what every
// buffer of the kind that the encoders and the kernel make keeps:
// - replay: the VRRL0001 header and live records (no other kind starts with
//   the magic);
// - ring: every status word is a slot status (0..7, EMPTY..FAULT) and every
//   priority word a priority (0..4);
// - io-queue: every op word is 0 or READ, WRITE, FENCE (1..3) and every
//   status word a slot status, OK (0x10) or ERROR (0x11);
// - control: SHUTDOWN (word 0) is 0 or 1, TENANT_BASE (word 2) is 3, and the
//   priority offsets (words 129..134) never decrease;
// - debug-log: the size rules only (the kernel writes any value into a record).
// Returns the first rule `bytes` breaks, or nullopt.
std::optional<BufferRuleBreak> buffer_rule_break(BufferKind kind, ByteSpan bytes);

// The kinds whose layout rules `bytes` keeps, in table order.
std::vector<BufferKind> candidate_kinds(ByteSpan bytes);
// "a ring or an IO queue", "no kind of buffer".
std::string candidate_kinds_text(std::span<const BufferKind> kinds);

// The kind of a buffer read from `source` whose --kind was left out: the one
// candidate, else InvalidInput listing the candidates (or saying why each
// kind fails when there is none).
BufferKind detect_buffer_kind(ByteSpan bytes, std::string_view source);

struct KindResolution {
  BufferKind kind;
  // The rule a buffer breaks that no other kind fits either (a damaged
  // buffer of the kind given, or one a foreign writer filled): shown as the
  // kind given, with this note for stderr.
  std::optional<std::string> note;
};
// The kind given (--kind), checked: check_buffer, then the content rules; a
// buffer that breaks them and fits another kind is InvalidInput naming the
// broken rule and what the file looks like ("it looks like a ring"). With
// no kind given, the kind detected.
KindResolution resolve_buffer_kind(std::optional<BufferKind> given, ByteSpan bytes, std::string_view source);
// Two buffers read as one kind (vyre diff): the kind given, checked for
// each; else the one kind both fit, or InvalidInput saying what each looks
// like. Notes of both (see KindResolution) are appended to `notes`.
BufferKind resolve_common_kind(std::optional<BufferKind> given, ByteSpan a, std::string_view name_a, ByteSpan b,
                               std::string_view name_b, std::vector<std::string>& notes);

}  // namespace vyre

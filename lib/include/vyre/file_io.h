// Reading inputs and writing outputs the way every tool does: "-" means
// stdin/stdout, binary output is refused on a terminal, and files are written
// atomically (temp file in the same directory, fsync, rename) so a failed run
// never leaves a partial or truncated file behind.
#pragma once

#include <string>
#include <string_view>

#include "vyre/control.h"

namespace vyre {

// Reads a whole file, or stdin for "-". Throws Io naming the path.
Bytes read_input(const std::string& path);
std::string read_text_input(const std::string& path);

enum class OutputKind { Binary, Text };

// Writes `data` to `path` atomically, or to stdout for "-" (Binary output
// to a terminal is a Usage error unless `allow_terminal`).
void write_output(const std::string& path, std::string_view data, OutputKind kind, bool allow_terminal = false);
void write_output(const std::string& path, ByteSpan data, OutputKind kind, bool allow_terminal = false);

// Human name of an input path for messages ("<stdin>" for "-").
std::string display_name(const std::string& path);

}  // namespace vyre

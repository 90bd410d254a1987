// Reading a command's inputs the way every tool does: "-" means stdin, any
// other path is read whole (regular files, FIFOs, devices, /dev/fd/N), and
// errors name the path. Outputs are written by OutputSet (output_set.h).
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "vyre/control.h"
#include "vyre/output_set.h"

namespace vyre {

// Reads a whole file, or stdin for "-". Throws Io naming the path.
Bytes read_input(const std::string& path);
std::string read_text_input(const std::string& path);

// Refuses two inputs that both read stdin: {option, path} pairs, "-" being
// stdin. Throws Usage naming both options.
using NamedInput = std::pair<std::string_view, std::string_view>;
void check_single_stdin(std::span<const NamedInput> inputs);
void check_single_stdin(std::initializer_list<NamedInput> inputs);

// Human name of an input path for messages ("<stdin>" for "-").
std::string display_name(const std::string& path);

}  // namespace vyre

#include "vyre/program_cache.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "vyre/error.h"
#include "vyre/file_io.h"

namespace vyre {

namespace {

uint64_t fnv1a(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h ^ 0xff;  // separator, so ("ab","c") and ("a","bc") differ
}

std::string cache_key(const SelectedDevice& d, const std::string& source, const std::string& options) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const std::string* s : {&d.info.platform, &d.info.name, &d.info.version, &d.info.driver_version, &options, &source})
    h = fnv1a(h, *s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string build_log(const cl::Program& program, const cl::Device& device) {
  try {
    return program.getBuildInfo<CL_PROGRAM_BUILD_LOG>(device);
  } catch (const cl::Error&) {
    return "(no build log)";
  }
}

}  // namespace

std::string line_directive(uint32_t line, std::string_view file) {
  std::string quoted;
  for (char c : file) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return "#line " + std::to_string(line) + " \"" + quoted + "\"\n";
}

std::string program_cache_dir() {
  if (const char* d = std::getenv("VYRE_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/vyre";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/vyre";
  return ".vyre-cache";
}

BuiltProgram build_program(const cl::Context& context, const SelectedDevice& device, const std::string& source,
                           const std::string& options, bool use_cache, const ProgramOrigin& origin) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string path = program_cache_dir() + "/program-" + cache_key(device, source, options) + ".bin";
  BuiltProgram out;
  if (use_cache && std::filesystem::exists(path)) {
    try {
      const Bytes binary = read_input(path);
      cl::Program::Binaries binaries{std::vector<unsigned char>(binary.begin(), binary.end())};
      cl::Program program(context, {device.device}, binaries);
      program.build({device.device}, options.c_str());
      out.program = program;
      out.cache_hit = true;
    } catch (const std::exception&) {
      out.cache_hit = false;  // stale or damaged entry: rebuild from source below
    }
  }
  if (!out.cache_hit) {
    cl::Program program(context, source);
    try {
      program.build({device.device}, options.c_str());
    } catch (const cl::Error&) {
      std::string log = build_log(program, device.device);
      while (!log.empty() && (log.back() == '\n' || log.back() == ' ')) log.pop_back();
      throw Error::backend(origin.what + " failed to build for " + device.info.name + ":\n" + log, origin.fix);
    }
    out.program = program;
    if (use_cache) {
      try {
        const auto binaries = program.getInfo<CL_PROGRAM_BINARIES>();
        if (!binaries.empty() && !binaries.front().empty()) {
          std::filesystem::create_directories(program_cache_dir());
          write_output(path, ByteSpan(binaries.front().data(), binaries.front().size()), OutputKind::Binary);
        }
      } catch (const std::exception&) {
        // An unwritable cache only costs the next run a rebuild.
      }
    }
  }
  out.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace vyre

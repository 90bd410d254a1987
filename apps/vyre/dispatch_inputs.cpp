#include "dispatch_inputs.h"

#include "vyre/resource_map.h"
#include "vyre/file_io.h"
#include "vyre/ring_spec.h"

namespace vyre::cli {

void add_dispatch_inputs(CLI::App& cmd, DispatchInputs& in, bool with_ring) {
  if (with_ring) {
    in.ring_option = cmd.add_option("--ring", in.ring, "Ring buffer file, or - for stdin");
    in.spec_option = cmd.add_option("--ring-spec", in.ring_spec, "JSON ring spec (see vyre encode-ring), or - for stdin");
    in.ring_option->excludes(in.spec_option);
  }
  cmd.add_option("--control", in.control, "Control buffer (default: 1 tenant, 16 observables)");
  cmd.add_option("--debug-log", in.debug_log, "Debug-log buffer (default: 64 records)");
  cmd.add_option("--io-queue", in.io_queue, "IO queue buffer (default: 64 slots)");
  cmd.add_option("--backend", in.backend, "opencl or reference (the CPU interpreter)")
      ->check(CLI::IsMember({"opencl", "reference"}))
      ->capture_default_str();
  cmd.add_option("--device", in.device, "OpenCL device: platform:device or a name substring (default $VYRE_DEVICE, "
                                        "else the first GPU, else the first device)");
  cmd.add_option("--mode", in.mode, "once: each lane drains its slot once (repeated while IO is pending); "
                                    "persistent: lanes loop until SHUTDOWN or --max-iterations")
      ->check(CLI::IsMember({"once", "persistent"}))
      ->capture_default_str();
  cmd.add_option("--max-iterations", in.max_iterations, "Iterations per launch in persistent mode")
      ->check(whole_number(1, 1u << 20))
      ->capture_default_str();
  cmd.add_option("--workgroup-size", in.workgroup_size, "Work-items per group (default: min(256, the kernel's limit))")
      ->check(whole_number(1, 1u << 16));
  cmd.add_option("--resources", in.resources, "JSON map of LOAD_MISS resource ids to files: {\"7\": \"data.bin\"}");
  cmd.add_flag("--no-cache", in.no_cache, "Build the kernel from source, bypassing the program cache");
}

void check_dispatch_stdin(const DispatchInputs& in) {
  check_single_stdin({{"--ring", in.ring},
                      {"--ring-spec", in.ring_spec},
                      {"--control", in.control},
                      {"--debug-log", in.debug_log},
                      {"--io-queue", in.io_queue},
                      {"--resources", in.resources}});
}

Bytes load_optional_buffer(const std::string& path, const char* kind) {
  if (path.empty()) return {};
  try {
    return read_input(path);
  } catch (const Error& e) {
    throw e.with_context(kind);
  }
}

std::string ring_display_name(const DispatchInputs& in) {
  return !in.ring.empty() ? display_name(in.ring) : display_name(in.ring_spec);
}

DispatchBuffers load_dispatch_buffers(const DispatchInputs& in) {
  if (in.ring.empty() && in.ring_spec.empty())
    throw Error::usage("one of --ring or --ring-spec is required", "pass --ring ring.bin or --ring-spec spec.json");
  Bytes ring = !in.ring.empty() ? load_optional_buffer(in.ring, "ring")
                                : encode_ring_spec_text(read_text_input(in.ring_spec), display_name(in.ring_spec));
  DispatchBuffers buffers = default_dispatch_buffers(std::move(ring));
  BufferNames names;
  if (!in.ring.empty()) names.ring = display_name(in.ring);
  if (!in.control.empty()) buffers.control = load_optional_buffer(in.control, "control"), names.control = in.control;
  if (!in.debug_log.empty()) buffers.debug_log = load_optional_buffer(in.debug_log, "debug log"), names.debug_log = in.debug_log;
  if (!in.io_queue.empty()) buffers.io_queue = load_optional_buffer(in.io_queue, "io queue"), names.io_queue = in.io_queue;
  validate_dispatch_buffers(buffers, names);  // before any device work
  return buffers;
}

DispatchOptions dispatch_options(const DispatchInputs& in, std::stop_token stop) {
  DispatchOptions options;
  options.mode = in.mode == "once" ? DispatchMode::Once : DispatchMode::Persistent;
  options.max_iterations = in.max_iterations;
  options.workgroup_size = in.workgroup_size;
  options.cancel = std::move(stop);
  if (!in.resources.empty()) options.resources = parse_resource_map(read_text_input(in.resources), in.resources);
  return options;
}

BackendChoice backend_choice(const DispatchInputs& in, uint32_t guard_bytes) {
  BackendChoice c;
  c.backend = in.backend;
  c.opencl = OpenClOptions{in.device, !in.no_cache, in.workgroup_size, guard_bytes};
  return c;
}

}  // namespace vyre::cli

// vyre: encode, inspect and run the buffers of the vyre megakernel. Adding a
// subcommand is one row here and one file beside this one.
#include "subcommands.h"

int main(int argc, char** argv) {
  using namespace vyre::cli;
  using vyre::kExitInvalidInput;
  const std::vector<Subcommand> table = {
      {"encode-ring", "Encode a JSON ring spec into ring bytes", setup_encode_ring},
      {"encode-control", "Encode a control buffer", setup_encode_control},
      {"encode-debug-log", "Encode an empty PRINTF debug log", setup_encode_debug_log},
      {"encode-io-queue", "Encode an empty IO queue", setup_encode_io_queue},
      {"inspect", "Show a buffer as a table or JSON", setup_inspect},
      {"diff", "Semantic diff of two buffers of one kind (exit 0 equal, 1 different, 2 invalid)", setup_diff,
       kExitInvalidInput},
      {"report", "One self-contained HTML page about a dispatch: ring map, statuses, metrics, faults, PRINTF, IO",
       setup_report},
      {"decode-debug", "Decode PRINTF records of a debug log", setup_decode_debug},
      {"dispatch", "Run a ring on an OpenCL device or the reference interpreter", setup_dispatch},
      {"replay", "Replay a VRRL0001 log epoch by epoch and compare observable streams (exit 1: streams differ)",
       setup_replay, kExitInvalidInput},
      {"bench", "Dispatch a ring repeatedly: min/median/max kernel and wall times, slots per second, SVG plot",
       setup_bench},
      {"devices", "List OpenCL devices and their limits", setup_devices},
      {"serve", "Keep a device context and the kernel ready for vyre dispatch --server", setup_serve},
  };
  run_tool("vyre", "vyre: encode, inspect and run vyre megakernel buffers (wire format vyre-runtime 0.6)",
                  table, argc, argv);
}

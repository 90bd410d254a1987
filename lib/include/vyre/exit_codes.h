// The exit statuses of the tools, in one place: the man pages document
// them, vyre::Error and grafos::TaskletError map their kinds to them, and
// the drivers' runner returns them.
#pragma once

namespace vyre {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
// vyre diff and vyre replay --compare: the buffers or streams differ.
inline constexpr int kExitDifferent = 1;
inline constexpr int kExitInvalidInput = 2;
inline constexpr int kExitIo = 3;
// grafos run-tasklet and grafos bench.
inline constexpr int kExitTaskletConfig = 4;
inline constexpr int kExitFuelExhausted = 5;
inline constexpr int kExitCancelled = 6;
inline constexpr int kExitLaneFailure = 7;
inline constexpr int kExitDevice = 8;
// 128 + the signal number when SIGINT or SIGTERM stopped the run (130, 143).
inline constexpr int kExitSignalBase = 128;

}  // namespace vyre

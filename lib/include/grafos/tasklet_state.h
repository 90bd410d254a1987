// The state words of the OpenCL target (tasklet_state.def) as C++
// constants, and as the -D options every tasklet is built with.
#pragma once

#include <cstdint>
#include <string>

namespace grafos::state {

#define GRAFOS_STATE(name, value) inline constexpr uint32_t name = value;
#define GRAFOS_NEXT(name, value)
#define GRAFOS_ERROR(name, value)
#include "grafos/tasklet_state.def"
#undef GRAFOS_STATE
#undef GRAFOS_NEXT
#undef GRAFOS_ERROR

namespace next {
#define GRAFOS_STATE(name, value)
#define GRAFOS_NEXT(name, value) inline constexpr uint64_t name = value;
#define GRAFOS_ERROR(name, value)
#include "grafos/tasklet_state.def"
#undef GRAFOS_STATE
#undef GRAFOS_NEXT
#undef GRAFOS_ERROR
}  // namespace next

namespace error {
#define GRAFOS_STATE(name, value)
#define GRAFOS_NEXT(name, value)
#define GRAFOS_ERROR(name, value) inline constexpr uint64_t name = value;
#include "grafos/tasklet_state.def"
#undef GRAFOS_STATE
#undef GRAFOS_NEXT
#undef GRAFOS_ERROR
}  // namespace error

// "-D GRAFOS_STATE_NEXT=0 ... -D GRAFOS_ERROR_USER=3": what the prelude
// reads its state words from.
std::string build_options();

}  // namespace grafos::state

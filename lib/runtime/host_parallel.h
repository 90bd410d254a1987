// Host work over large buffers split across the machine's cores: the copy
// of a ring into pinned memory and the scatter of a dispatch's status
// changes run at memory speed, not one core's speed. Small work stays on the
// calling thread (starting threads costs tens of microseconds).
#pragma once

#include <cstddef>
#include <functional>

namespace vyre::detail {

// Runs fn(begin, end) over [0, n) in contiguous pieces of at least `grain`.
void parallel_for(size_t n, size_t grain, const std::function<void(size_t begin, size_t end)>& fn);

// memcpy of `size` bytes, split across cores when large.
void parallel_copy(void* dst, const void* src, size_t size);

}  // namespace vyre::detail

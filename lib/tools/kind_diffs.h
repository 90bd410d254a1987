// The comparison of two buffers of each kind (buffer_diff.cpp), for the
// table of buffer views (buffer_views.cpp).
#pragma once

#include <set>
#include <string>

#include "vyre/buffer_diff.h"

namespace vyre::detail {

void diff_rings(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& out);
void diff_io_queues(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& out);
void diff_controls(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& out);
void diff_debug_logs(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& out);
void diff_replay_logs(ByteSpan a, ByteSpan b, const std::set<std::string>& ignore, BufferDiff& out);

}  // namespace vyre::detail

// ParallelFor: a loop whose iterations run on several threads.
#pragma once

#include <cstddef>
#include <functional>

namespace dateline {

// The number of cores (at least 1).
int Cores();

// Calls fn(i) for every i in [0, n), on `threads` threads (the caller's
// among them; at most n), each taking the next index not yet taken. Returns
// when every call has returned. If a call throws, the threads take no more
// indexes and the first exception is rethrown here once all have stopped.
// fn must be safe to call from several threads at once.
void ParallelFor(std::size_t n, int threads, const std::function<void(std::size_t)>& fn);

}  // namespace dateline

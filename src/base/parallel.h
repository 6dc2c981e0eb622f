// ParallelFor: a loop whose iterations run on several threads. Pipeline:
// work made on a helper thread one step ahead of its use.
#pragma once

#include <cstddef>
#include <functional>

#include "base/status.h"

namespace dateline {

// The number of cores (at least 1).
int Cores();

// Calls fn(i) for every i in [0, n), on `threads` threads (the caller's
// among them; at most n), each taking the next index not yet taken. Returns
// when every call has returned. If a call throws, the threads take no more
// indexes and the first exception is rethrown here once all have stopped.
// fn must be safe to call from several threads at once.
void ParallelFor(std::size_t n, int threads, const std::function<void(std::size_t)>& fn);

// Two stages over a sequence of chunks, in two slots the caller keeps
// (0 and 1): a helper thread calls make(slot) to fill the next chunk, and
// returns false when nothing is left (that slot is then not used); the
// calling thread calls use(slot) on each made chunk in order. While one
// chunk is used the next is made; a slot is made again only once its last
// chunk was used. A failed use stops both stages and its Status is
// returned (make is not called again); an exception from either stage is
// rethrown here once the helper has stopped.
Status Pipeline(const std::function<bool(int slot)>& make,
                const std::function<Status(int slot)>& use);

}  // namespace dateline

// JSON Lines reading shared by the JSONL and ninjs importers.
//
// LineProblems collects "line N: reason" messages (keeping the first
// `max_kept`) and turns them into the one InvalidArgument an import returns
// ("N problems in the import; nothing was written" followed by the lines).
// ForEachJsonObject reads `in` line by line (CRLF tolerated, blank lines
// skipped), records unparsable or non-object lines as problems, and calls
// `fn` with each object; a non-ok Status from `fn` stops the reading and is
// returned. A read error is an IOError naming the last line read.
// No shared state; thread-safe as long as each call has its own stream.
#pragma once

#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"

namespace dateline {

class LineProblems {
 public:
  explicit LineProblems(std::size_t max_kept) : max_kept_(max_kept) {}
  void Add(int line, const std::string& what);
  std::size_t count() const { return total_; }
  Status Summary() const;

 private:
  std::size_t max_kept_;
  std::size_t total_ = 0;
  std::vector<std::string> kept_;
};

Status ForEachJsonObject(std::istream& in, LineProblems& problems,
                         const std::function<Status(int line, const nlohmann::json&)>& fn);

}  // namespace dateline

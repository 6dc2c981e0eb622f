// JSON Lines reading shared by the JSONL and ninjs importers.
//
// LineProblems collects "line N: reason" messages (keeping the first
// `max_kept`) and turns them into the one InvalidArgument an import returns
// ("N problems in the import; nothing was written" followed by the lines).
// JsonLineReader reads `in` line by line (CRLF tolerated, blank lines
// skipped) and gives each line's object, or the reason it is none.
// ForEachJsonObjectAhead records unparsable or non-object lines as
// problems and hands each object on, converted on a helper thread that
// reads and parses ahead; a non-ok Status from the use stops the reading
// and is returned. A read error is an IOError naming the last line read.
// No shared state; thread-safe as long as each call has its own stream.
#pragma once

#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/parallel.h"
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

class JsonLineReader {
 public:
  explicit JsonLineReader(std::istream& in) : in_(in) {}
  // The next line that is not blank: true with `obj` its object and
  // `problem` empty, or with `problem` saying why the line is no JSON
  // object; false when the stream has ended (see status()).
  bool Next(int& line, nlohmann::json& obj, std::string& problem);
  // Ok, or the IOError of a read that failed.
  Status status() const;

 private:
  std::istream& in_;
  std::string text_;
  int line_ = 0;
};

// Each object is turned into an Item by `convert` on a helper thread,
// which reads and parses ahead, and the Items are given to `use` on the
// calling thread in line order; an unparsable line's problem reaches
// `problems` in its place in that order. For an import whose writing (on
// one thread, the store's) is most of its work.
template <typename Item>
Status ForEachJsonObjectAhead(std::istream& in, LineProblems& problems,
                              const std::function<Item(int line, const nlohmann::json&)>& convert,
                              const std::function<Status(int line, Item&)>& use) {
  struct Entry {
    int line = 0;
    std::string problem;
    Item item{};
  };
  constexpr std::size_t kChunk = 256;  // lines
  std::vector<Entry> chunks[2];
  JsonLineReader reader(in);
  DL_RETURN_IF_ERROR(Pipeline(
      [&](int slot) {
        std::vector<Entry>& chunk = chunks[slot];
        chunk.clear();
        nlohmann::json obj;
        for (Entry e; chunk.size() < kChunk && reader.Next(e.line, obj, e.problem); e = Entry{}) {
          if (e.problem.empty()) e.item = convert(e.line, obj);
          chunk.push_back(std::move(e));
        }
        return !chunk.empty();
      },
      [&](int slot) -> Status {
        for (Entry& e : chunks[slot]) {
          if (!e.problem.empty()) {
            problems.Add(e.line, e.problem);
            continue;
          }
          DL_RETURN_IF_ERROR(use(e.line, e.item));
        }
        return Status::Ok();
      }));
  return reader.status();
}

}  // namespace dateline

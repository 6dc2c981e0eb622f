// Files compiled into the binary (the default theme, the demo content).
//
// Each set is a span of {path relative to its folder, bytes}, sorted by
// path, generated at build time by cmake/embed.cmake. The data is static
// and read-only: safe to use from any thread, valid for the program's life.
#pragma once

#include <span>
#include <string_view>

namespace dateline::embedded {

struct File {
  std::string_view path;
  std::string_view data;
};

std::span<const File> DefaultTheme();  // themes/default/
std::span<const File> DemoContent();   // demo/

// The file at `path` in `files`, or nullptr.
inline const File* Find(std::span<const File> files, std::string_view path) {
  for (const File& f : files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

}  // namespace dateline::embedded

// Small filesystem helpers that report failures as Status values.
//
// ReadFile/WriteFileAtomic name the path and the OS reason on failure.
// WriteFileAtomic writes to a temporary file beside the target and renames
// it, so a reader never sees a half-written file. Thread-safe (no state).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace dateline {

Result<std::string> ReadFile(const std::filesystem::path& path);
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view data);

}  // namespace dateline

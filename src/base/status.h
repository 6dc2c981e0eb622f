// Status and Result<T>: how every layer reports a recoverable outcome.
//
// A Status is either ok or carries a closed code and a message naming the
// problem (line, field, reason). Library exceptions (SQLite, Xapian, gumbo)
// are turned into a Status at the adapter that calls the library; nothing
// above that layer throws for an expected failure. Not-found is a normal
// result (kNotFound), never logged as an error.
//
// Result<T> is std::expected<T, Status>: a value on success, a Status on
// failure. Both are plain values; safe to copy across threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace dateline {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kInvalidArgument,
    kConflict,
    kPermissionDenied,
    kCorruption,
    kIOError,
    kUnavailable,
    kInternal,
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsConflict() const { return code_ == Code::kConflict; }
  bool IsPermissionDenied() const { return code_ == Code::kPermissionDenied; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: line 3: field \"headline\": required"
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Status>;

// Shorthand for returning a failed Result: `return Fail(Status::NotFound(..))`.
inline std::unexpected<Status> Fail(Status s) { return std::unexpected<Status>(std::move(s)); }

}  // namespace dateline

// Propagates a non-ok Status from an expression returning Status.
#define DL_RETURN_IF_ERROR(expr)          \
  do {                                    \
    ::dateline::Status dl_status_ = (expr); \
    if (!dl_status_.ok()) return dl_status_; \
  } while (0)

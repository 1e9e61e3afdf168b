// Status: the result of an operation that can fail for an expected reason.
//
// Errors on the per-message path are values, not exceptions (see STYLE.md).
// A Status is cheap to copy when ok; a failed one carries a code and a
// human-readable sentence that never contains message text.
#ifndef STEADY_CORE_STATUS_H_
#define STEADY_CORE_STATUS_H_

#include <string>
#include <utility>

namespace steady {

class Status {
 public:
  enum class Code {
    kOk,
    kNotFound,      // the session (or row) does not exist
    kConflict,      // the session changed since it was loaded; retry
    kInvalid,       // the input is malformed; nothing was changed
    kUnavailable,   // the store cannot be reached, is locked or read-only
    kCorruption,    // stored data cannot be understood
    kInternal,      // a bug
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status Invalid(std::string msg) { return Status(Code::kInvalid, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace steady

#endif  // STEADY_CORE_STATUS_H_

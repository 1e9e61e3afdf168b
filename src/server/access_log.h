// AccessLog: one JSON line per request, for the operator at 3 a.m.
//
//   {"time":"2026-11-29T04:30:00Z","method":"POST",
//    "route":"/v1/sessions/{id}/messages","status":200,"ms":1.42,
//    "session":"3f9a0c1d2e4b5a69"}
//
// Never message text, never a raw path or session id: the route template,
// and a short SHA-256 of the session id so one conversation's requests can
// be followed without the log revealing whose they are. Thread-safe.
#ifndef STEADY_SERVER_ACCESS_LOG_H_
#define STEADY_SERVER_ACCESS_LOG_H_

#include <cstdio>
#include <mutex>
#include <string>

namespace steady {

// The first 16 hex digits of SHA-256(session_id).
std::string SessionHash(const std::string& session_id);

class AccessLog {
 public:
  // Writes to `out` (not owned; stderr by default). Null: log nothing.
  explicit AccessLog(std::FILE* out = stderr) : out_(out) {}

  void Write(const std::string& method, const std::string& route, int status, double ms,
             const std::string& session_id);

 private:
  std::FILE* const out_;
  std::mutex mu_;
};

}  // namespace steady

#endif  // STEADY_SERVER_ACCESS_LOG_H_

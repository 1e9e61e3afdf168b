// ServerOptions: every limit and default of `steady serve`, in one place.
// The command line (src/cli/serve_options.cpp) fills it from flags and
// STEADY_* environment variables; tests fill it directly.
#ifndef STEADY_SERVER_SERVER_OPTIONS_H_
#define STEADY_SERVER_SERVER_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace steady {

// A token bucket's shape: `per_minute` tokens refill every minute, up to
// `burst` saved. per_minute == 0 turns the limit off.
struct RateLimit {
  double per_minute = 0;
  double burst = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";  // address to listen on
  int port = 8080;                 // 0: any free port (printed at start)

  // Worker threads. A keep-alive connection holds one for its whole life,
  // so this is also how many connections are served at once. Default 16.
  int threads = 16;

  // Largest request body, in bytes; larger ones get 413 before they are
  // read. Default 64 KiB: a 2,000-character message escaped as \uXXXX
  // pairs fits with room to spare.
  size_t max_body_bytes = 64 * 1024;
  // Room for the request line and headers, in bytes: one request may send
  // max_head_bytes + max_body_bytes in all. A request over that, or taking
  // longer than read_timeout_seconds, has its connection closed (400 when
  // its request line had arrived). Default 64 KiB.
  size_t max_head_bytes = 64 * 1024;

  // Seconds a connection may take to send a whole request, from its first
  // byte / to read a response.
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 5;

  // Requests one keep-alive connection may carry, and seconds it may idle.
  int keep_alive_max_requests = 1000;
  int keep_alive_timeout_seconds = 5;

  // Messages per session (someone typing fast never reaches it) and
  // requests per client address (shared networks such as a clinic's Wi-Fi
  // send many people from one address). 429 with Retry-After beyond them.
  RateLimit session_rate{60, 20};
  RateLimit address_rate{600, 120};
  // Take the client address from the last X-Forwarded-For entry, for a
  // server behind a reverse proxy. Default false: the socket's peer.
  bool trust_forwarded_for = false;

  // Origins allowed to call the API from a browser (CORS), exactly as the
  // browser sends them: "https://clinic.example". None by default.
  std::vector<std::string> allow_origins;

  // Transcripts are purged `retention_days` after a session's last message,
  // checked every `purge_interval_seconds`. Defaults 30 days, 1 hour.
  int retention_days = 30;
  int purge_interval_seconds = 3600;

  // One JSON line per request to stderr. Default true.
  bool access_log = true;
};

}  // namespace steady

#endif  // STEADY_SERVER_SERVER_OPTIONS_H_

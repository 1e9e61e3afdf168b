// ReceiveLimits: a deadline and a byte budget for receiving each request,
// which Debian's cpp-httplib 0.11.4 does not have.
//
// Why: the library's read timeout applies to each read, not to a request,
// so a client that trickles one byte a second holds a worker thread for as
// long as it likes (slowloris: `--threads` such clients stop the server);
// and it bounds neither the length of a header line nor the number of
// headers, so one request can make it read and keep gigabytes
// (CVE-2025-53628, CVE-2025-52887).
//
// How: the library reads every connection with recv(), through the
// dynamic linker, so the recv() defined here takes its place (the standard
// symbol interposition of an executable over a shared library's imports).
// On the threads serving connections (GuardedTaskQueue's jobs) it counts
// the bytes and the time of the current request, from its first byte
// until its response is written (ReceiveNextRequest()); past either limit,
// it fails that read and every later one on the connection, so the library
// gives up the request and the connection, freeing the worker. When the
// request line had arrived, the library answers first, and
// ReceiveCutStatus() names the status (408 or 431) for that answer.
// Everywhere else (clients, the escalation worker, tests) recv() is libc's,
// untouched.
//
// A connection is always within its limits before its first byte, so an
// idle keep-alive connection is bounded by the keep-alive timeout alone.
#ifndef STEADY_SERVER_RECEIVE_LIMITS_H_
#define STEADY_SERVER_RECEIVE_LIMITS_H_

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>

namespace steady {

struct ReceiveLimits {
  // Time from a request's first byte until all of it (head and body) has
  // arrived. A read made past it fails; reads wait at most the library's
  // per-read timeout, so a request is cut at most one read timeout later.
  std::chrono::milliseconds deadline{5000};
  // Bytes one request may send, head and body together.
  size_t max_bytes = 128 * 1024;
};

// cpp-httplib's thread pool, with every job (one connection, served to its
// end) run under `limits`.
class GuardedTaskQueue : public httplib::TaskQueue {
 public:
  GuardedTaskQueue(size_t threads, ReceiveLimits limits);
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  httplib::ThreadPool pool_;
  const ReceiveLimits limits_;
};

// Called on a serving thread when a response has been written: the
// connection's next bytes start a new request, with fresh limits. If the
// request was cut, its connection is closed instead, gently: sending
// ends, and what the client still sends is read and dropped for up to
// 200 ms and 1 MiB, so that the client reads the answer rather than a
// reset.
void ReceiveNextRequest();

// On a serving thread: 408 (too slow) or 431 (too large) when the current
// request was cut by its limits, else 0.
int ReceiveCutStatus();

}  // namespace steady

#endif  // STEADY_SERVER_RECEIVE_LIMITS_H_

#include "server/receive_limits.h"

#include <dlfcn.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace steady {
namespace {

using Clock = std::chrono::steady_clock;

// The connection this thread serves, if it is a GuardedTaskQueue job.
struct Connection {
  bool guarded = false;
  ReceiveLimits limits;
  bool in_request = false;  // a byte of the current request has arrived
  Clock::time_point deadline;
  size_t bytes = 0;
  // Over a limit (cut_status says which): every read fails until the job
  // ends.
  bool cut = false;
  int cut_status = 0;
  int fd = -1;  // the socket, once cut
};

thread_local Connection connection;

// A cut connection is read and dropped for at most this much, so a flood
// ends in a reset rather than keeping the worker.
constexpr size_t kMaxDrainBytes = 1 << 20;

using RecvFunction = ssize_t (*)(int, void*, size_t, int);

// The recv() this one stands in front of: the next definition in lookup
// order (libc's, or a sanitizer's interceptor).
RecvFunction NextRecv() {
  static const RecvFunction next = reinterpret_cast<RecvFunction>(dlsym(RTLD_NEXT, "recv"));
  return next;
}

ssize_t RealRecv(int fd, void* buf, size_t len, int flags) {
  if (RecvFunction next = NextRecv()) return next(fd, buf, len, flags);
  return syscall(SYS_recvfrom, fd, buf, len, flags, nullptr, nullptr);
}

// Ends a job's connection state however the job ends.
struct JobScope {
  explicit JobScope(const ReceiveLimits& limits) {
    connection = Connection();
    connection.guarded = true;
    connection.limits = limits;
  }
  ~JobScope() { connection = Connection(); }
};

}  // namespace

GuardedTaskQueue::GuardedTaskQueue(size_t threads, ReceiveLimits limits)
    : pool_(threads), limits_(limits) {}

void GuardedTaskQueue::enqueue(std::function<void()> fn) {
  pool_.enqueue([fn = std::move(fn), limits = limits_] {
    JobScope scope(limits);
    fn();
  });
}

void GuardedTaskQueue::shutdown() { pool_.shutdown(); }

void ReceiveNextRequest() {
  if (!connection.cut) {
    connection.in_request = false;
    return;
  }
  if (connection.fd < 0) return;
  shutdown(connection.fd, SHUT_WR);
  const auto deadline = Clock::now() + std::chrono::milliseconds(200);
  char buf[16384];
  for (size_t drained = 0; drained < kMaxDrainBytes;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{connection.fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = RealRecv(connection.fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
  connection.fd = -1;  // the library closes it
}

int ReceiveCutStatus() { return connection.cut ? connection.cut_status : 0; }

}  // namespace steady

// Takes the place of libc's recv() for the whole program (see the header).
// Unguarded threads go straight through.
extern "C" ssize_t recv(int fd, void* buf, size_t len, int flags) {
  using steady::connection;
  // A peek takes nothing (the library peeks to see whether the client is
  // still there before it answers, cut or not).
  if (!connection.guarded || (flags & MSG_PEEK) != 0) {
    return steady::RealRecv(fd, buf, len, flags);
  }
  if (connection.cut) {
    errno = ECONNRESET;
    return -1;
  }
  const auto now = steady::Clock::now();
  if (!connection.in_request) {
    connection.in_request = true;
    connection.deadline = now + connection.limits.deadline;
    connection.bytes = 0;
  } else if (now > connection.deadline) {
    connection.cut = true;
    connection.cut_status = 408;
    connection.fd = fd;
    errno = ETIMEDOUT;
    return -1;
  }
  const ssize_t n = steady::RealRecv(fd, buf, len, flags);
  if (n > 0) {
    connection.bytes += static_cast<size_t>(n);
    if (connection.bytes > connection.limits.max_bytes) {
      connection.cut = true;
      connection.cut_status = 431;
      connection.fd = fd;
      errno = EMSGSIZE;
      return -1;
    }
  }
  return n;
}

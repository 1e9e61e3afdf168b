#include "server/connection_closer.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace steady {
namespace {

// The port and printable address of a socket address, IPv4 or IPv6.
bool Describe(const sockaddr_storage& addr, std::string* host, int* port) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
    *port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
    *port = ntohs(in6->sin6_port);
  } else {
    return false;
  }
  *host = buf;
  return true;
}

// The descriptor of this process's socket with these addresses, or -1.
int FindSocket(int local_port, const std::string& peer_addr, int peer_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      continue;  // not a connected socket
    }
    std::string local_host, host;
    int lport = 0, port = 0;
    if (!Describe(local, &local_host, &lport) || !Describe(peer, &host, &port)) continue;
    if (lport == local_port && port == peer_port && host == peer_addr) {
      found = static_cast<int>(fd);
      break;
    }
  }
  closedir(dir);
  return found;
}

}  // namespace

bool CloseConnection(int local_port, const std::string& peer_addr, int peer_port, int drain_ms) {
  const int fd = FindSocket(local_port, peer_addr, peer_port);
  if (fd < 0) return false;
  // The response is complete: let the client see its end.
  shutdown(fd, SHUT_WR);
  // Drop what the client sent, until it closes or time is up, so closing
  // doesn't reset the connection before the client has read the response.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_ms);
  char buf[16384];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
    if (recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0) break;
  }
  // Swap in an unconnected socket: the library's next read fails, and it
  // closes that one; the real connection closes here.
  const int dummy = socket(AF_INET, SOCK_STREAM, 0);
  if (dummy >= 0) {
    dup2(dummy, fd);
    close(dummy);
  } else {
    shutdown(fd, SHUT_RD);
  }
  return true;
}

}  // namespace steady

#include "store/session_id.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>

namespace steady {
namespace {

Status RandomBytes(void* buf, size_t size) {
  auto* p = static_cast<unsigned char*>(buf);
  while (size > 0) {
    ssize_t n = getrandom(p, size, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Unavailable(std::string("no random source: ") + std::strerror(errno));
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Status NewSessionId(std::string* id) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned char bytes[17];  // 132 bits used: 22 characters of 6 bits
  Status s = RandomBytes(bytes, sizeof bytes);
  if (!s.ok()) return s;
  id->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6 && id->size() < 22) {
      bits -= 6;
      id->push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  return Status::Ok();
}

Status NewSeed(uint64_t* seed) { return RandomBytes(seed, sizeof *seed); }

bool IsWellFormedSessionId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace steady

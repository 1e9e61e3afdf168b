#include "adapters/server_secret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "adapters/crypto.h"

namespace steady::adapters {
namespace {

namespace fs = std::filesystem;

constexpr size_t kGeneratedBytes = 32;
// How many bytes a sane secret file can hold; more is not ours.
constexpr size_t kMaxFileBytes = 4096;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

bool IsLowerHex(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !s.empty();
}

// Reads the secret file, checking that only its owner can read it and that
// it holds 64 hex digits (and a newline), as Steady writes it.
Status ReadSecretFile(const std::string& path, std::string* secret) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return Status::Invalid(Errno("cannot read the server secret " + path) +
                           " (fix it, remove it to make a new one, or give --secret)");
  }
  struct stat st {};
  std::string text;
  Status status;
  if (fstat(fd, &st) != 0) {
    status = Status::Invalid(Errno("cannot check the server secret " + path));
  } else if (!S_ISREG(st.st_mode)) {
    status = Status::Invalid("the server secret " + path + " is not a regular file");
  } else if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    status = Status::Invalid("the server secret " + path + " can be read by other users (mode " +
                             mode + "); run: chmod 600 " + path);
  } else if (st.st_uid != geteuid()) {
    status = Status::Invalid("the server secret " + path +
                             " belongs to another user; it must be this user's own file");
  } else {
    char buf[512];
    ssize_t n = 0;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() <= kMaxFileBytes) {
      text.append(buf, static_cast<size_t>(n));
    }
    if (n < 0) status = Status::Invalid(Errno("cannot read the server secret " + path));
  }
  ::close(fd);
  if (!status.ok()) return status;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.size() != 2 * kGeneratedBytes || !IsLowerHex(text)) {
    return Status::Invalid("the server secret " + path +
                           " does not hold the 64 hex digits Steady writes; restore it from a "
                           "backup, or remove it to start over (conversations on messaging "
                           "channels are then forgotten)");
  }
  *secret = text;
  return Status::Ok();
}

// Writes a new secret to a temporary file and links it into place, so a
// second server starting at the same moment either makes the file or reads
// the complete one, never half of it.
Status CreateSecretFile(const std::string& path, bool* created) {
  std::string bytes;
  Status s = RandomBytes(kGeneratedBytes, &bytes);
  if (!s.ok()) return s;
  const std::string text = Hex(bytes) + "\n";
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Invalid(Errno("cannot create the server secret " + path));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return Status::Invalid(Errno("cannot write the server secret " + path));
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return Status::Invalid(Errno("cannot create the server secret " + path));
  }
  *created = linked == 0;
  return Status::Ok();
}

}  // namespace

const char kServerSecretFile[] = "steady.secret";

bool IsAcceptableServerSecret(const std::string& secret) {
  if (secret.size() < kMinServerSecretBytes) return false;
  for (unsigned char c : secret) {
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

Status LoadServerSecret(const std::string& given, const std::string& db_path,
                        std::string* secret, bool* created) {
  if (created != nullptr) *created = false;
  if (!given.empty()) {
    if (!IsAcceptableServerSecret(given)) {
      return Status::Invalid("--secret must be at least 32 characters without spaces");
    }
    *secret = given;
    return Status::Ok();
  }
  if (db_path.empty() || db_path == ":memory:" || db_path.find("://") != std::string::npos) {
    return Status::Invalid("no folder to keep the server secret in (the database is " +
                           (db_path.empty() ? std::string("not a file") : db_path) +
                           "); give --secret or STEADY_SECRET");
  }
  fs::path folder = fs::path(db_path).parent_path();
  if (folder.empty()) folder = ".";
  const std::string path = (folder / kServerSecretFile).string();
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) {
    bool made = false;
    Status s = CreateSecretFile(path, &made);
    if (!s.ok()) return s;
    if (created != nullptr) *created = made;
  }
  return ReadSecretFile(path, secret);
}

}  // namespace steady::adapters

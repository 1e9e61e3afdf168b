// Safe degradation: when the database can't be written (the disk is full,
// the file is read-only), turns get 503 store_unavailable with Retry-After
// and nothing claims to be saved; a crisis message still gets its full
// crisis reply with resources; and once the fault is gone the same server
// answers again, without a restart.
//
// Covered elsewhere, not repeated here: a database locked by another
// process (server_shared_db_test.cpp, "with the database locked..."), and
// content that fails validation at a reload (server_lifecycle_test.cpp,
// "SIGHUP reloads the content...").
//
// Tests run as root in CI, where file modes stop nothing, so each fault is
// made in a way that binds root too:
//  - disk full: a file-size limit (RLIMIT_FSIZE) set on the running server
//    with prlimit(), which fails its writes with EFBIG, and, where mounting
//    is allowed, a real full filesystem (a 1 MiB tmpfs) failing with ENOSPC;
//  - read-only while running: the immutable attribute (chattr +i) on the
//    database and its WAL, which fails writes through descriptors already
//    open (as a filesystem remounted read-only does); needs a filesystem
//    that has the attribute (ext4, xfs, btrfs; not overlayfs or tmpfs);
//  - read-only at start: the server run as user nobody (setpriv) on a file
//    of mode 0400.
// A fault that can't be made here is reported with WARN and skipped.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

const char kOverdose[] = "i took a whole bottle of pills and feel like im dying";

// What a person sees while the database can't be written.
void CheckDegraded(httplib::Client& client, const std::string& id, int turns_saved) {
  httplib::Result ordinary = Send(client, id, "I slipped last night");
  REQUIRE(ordinary);
  CHECK(ordinary->status == 503);
  CHECK(ErrorCode(ordinary) == "store_unavailable");
  CHECK(!ordinary->get_header_value("Retry-After").empty());
  CHECK(!BodyJson(ordinary).contains("messages"));  // no reply pretends it was heard and kept

  httplib::Result crisis = Send(client, id, kOverdose);
  REQUIRE(crisis);
  CHECK(crisis->status == 503);
  nlohmann::json body = BodyJson(crisis);
  CHECK(body["error"]["code"] == "store_unavailable");
  CHECK(body["crisis"]["category"] == "overdose");
  bool has_911 = false;
  for (const auto& resource : body["crisis"]["resources"]) {
    has_911 = has_911 || resource.value("phone", "") == "911";
  }
  CHECK(has_911);
  CHECK(body["messages"].dump().find("911") != std::string::npos);

  httplib::Result start = client.Post("/v1/sessions", "", "application/json");
  REQUIRE(start);
  CHECK(start->status == 503);
  CHECK(ErrorCode(start) == "store_unavailable");
  CHECK(BodyJson(start)["error"]["message"].get<std::string>().find("988") != std::string::npos);

  // Reading still works, and shows that nothing more was saved.
  CHECK(BodyJson(client.Get("/v1/sessions/" + id))["state"]["turn_count"] == turns_saved);
  CHECK(client.Get("/healthz")->status == 200);
}

// The fault is gone: the same server answers and saves again.
void CheckRecovered(httplib::Client& client, const std::string& id, int turns_before) {
  httplib::Result r = Send(client, id, "I slipped last night");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(BodyJson(client.Get("/v1/sessions/" + id))["state"]["turn_count"] == turns_before + 1);
  CHECK(client.Post("/v1/sessions", "", "application/json")->status == 201);
}

// Sets or clears the immutable attribute; false when the filesystem or
// the privileges don't allow it.
bool SetImmutable(const std::string& path, bool on) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int flags = 0;
  bool ok = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  if (ok) {
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    ok = ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  }
  close(fd);
  return ok;
}

// Clears the immutable attribute of its files however the test ends, so
// the temporary folder can be removed.
struct ImmutableFiles {
  std::vector<std::string> paths;
  ~ImmutableFiles() {
    for (const std::string& p : paths) SetImmutable(p, false);
  }
};

// A tmpfs of `size` mounted on `dir` for the test's life, when allowed.
struct TmpfsMount {
  std::string dir;
  bool mounted = false;
  TmpfsMount(const std::string& where, const char* options) : dir(where) {
    mounted = mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options) == 0;
  }
  ~TmpfsMount() {
    if (mounted) umount2(dir.c_str(), MNT_DETACH);
  }
};

}  // namespace

TEST_CASE("with a file-size limit, turns get 503, crises their reply, and it recovers",
          "[server][degradation]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--no-access-log"});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  REQUIRE(Send(client, id, "I used last night")->status == 200);

  // No file of the server's may grow past 0 bytes: every write fails
  // (EFBIG; SIGXFSZ must not kill it). Only the soft limit is lowered, so
  // it can be raised again without privileges.
  rlimit before{};
  REQUIRE(prlimit(server.pid(), RLIMIT_FSIZE, nullptr, &before) == 0);
  rlimit full = before;
  full.rlim_cur = 0;
  REQUIRE(prlimit(server.pid(), RLIMIT_FSIZE, &full, nullptr) == 0);
  CheckDegraded(client, id, 1);
  CHECK(client.Get("/metrics")->body.find("steady_store_errors_total 0") == std::string::npos);

  REQUIRE(prlimit(server.pid(), RLIMIT_FSIZE, &before, nullptr) == 0);
  CheckRecovered(client, id, 1);
  CHECK(server.Stop() == 0);
}

TEST_CASE("on a full filesystem, turns get 503, crises their reply, and it recovers",
          "[server][degradation]") {
  TempDir dir;
  TmpfsMount disk(dir.root(), "size=1m,mode=0700");
  if (!disk.mounted) {
    WARN("not tested: no tmpfs can be mounted here (" << std::strerror(errno)
                                                       << "); the file-size limit test covers it");
    return;
  }
  ServerProcess server({"--db", dir.File("s.db"), "--no-access-log"});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  REQUIRE(Send(client, id, "I used last night")->status == 200);

  // Fill what is left of the filesystem.
  {
    std::ofstream filler(dir.File("filler"), std::ios::binary);
    const std::string block(4096, 'x');
    for (int i = 0; i < 1024 && filler.write(block.data(), block.size()); ++i) filler.flush();
  }
  CheckDegraded(client, id, 1);

  std::filesystem::remove(dir.File("filler"));
  CheckRecovered(client, id, 1);
  CHECK(server.Stop() == 0);
}

TEST_CASE("with the database made read-only while serving, turns get 503 and it recovers",
          "[server][degradation]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--no-access-log"});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  REQUIRE(Send(client, id, "I used last night")->status == 200);

  ImmutableFiles locked;
  for (const char* file : {"s.db", "s.db-wal"}) {
    if (!SetImmutable(dir.File(file), true)) {
      WARN("not tested: this filesystem or user can't set the immutable attribute ("
           << std::strerror(errno) << ")");
      return;
    }
    locked.paths.push_back(dir.File(file));
  }
  CheckDegraded(client, id, 1);

  for (const std::string& path : locked.paths) REQUIRE(SetImmutable(path, false));
  CheckRecovered(client, id, 1);
  CHECK(server.Stop() == 0);
}

TEST_CASE("a database the server may not write stops it at start with a clear message",
          "[server][degradation]") {
  namespace fs = std::filesystem;
  TempDir dir;
  // The content is copied, so that user nobody can read it wherever the
  // checkout is.
  fs::create_directories(dir.path() / "content");
  for (const char* folder : {"intents", "dialogs"}) {
    fs::copy(fs::path(STEADY_SOURCE_DIR) / folder, dir.path() / "content" / folder,
             fs::copy_options::recursive);
  }
  // The binary too: user nobody may not be able to reach the build folder.
  fs::copy_file(STEADY_BINARY, dir.File("steady"));
  // A database made by a first run.
  REQUIRE(RunProcess(STEADY_BINARY, {"migrate", "--db", dir.File("data/s.db")}).exit_code == 0);
  fs::permissions(dir.File("data/s.db"), fs::perms::owner_read);

  // Root may write any file whatever its mode, so as root the server runs
  // as nobody, who owns the files but may only read the database.
  std::vector<std::string> args;
  if (geteuid() == 0) {
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
      REQUIRE(lchown(entry.path().c_str(), 65534, 65534) == 0);
    }
    REQUIRE(chown(dir.root().c_str(), 65534, 65534) == 0);
    args = {"--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  args.push_back(dir.File("steady"));
  for (const std::string& a : std::vector<std::string>{"serve", "--port", "0", "--content",
                                                       dir.File("content"), "--db",
                                                       dir.File("data/s.db")}) {
    args.push_back(a);
  }
  // `timeout` ends a server that starts anyway, which fails the test.
  args.insert(args.begin(), geteuid() == 0 ? "setpriv" : "env");
  args.insert(args.begin(), "10");
  ProcessResult r = RunProcess("timeout", args);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("read-only") != std::string::npos);
}

}  // namespace steady::testing

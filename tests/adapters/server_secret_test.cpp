// The server secret and the adapters' options, as an operator meets them:
// `steady serve` makes the secret file, keeps it, and refuses to start
// with a clear sentence when something is wrong.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "adapters/adapter_helpers.h"
#include "support/run_process.h"

namespace steady::testing {
namespace {

// `steady serve` expected to refuse to start; `timeout` keeps a server that
// wrongly starts from hanging the test.
ProcessResult ServeRefusing(std::vector<std::string> args) {
  std::vector<std::string> argv = {"20", STEADY_BINARY, "serve", "--port", "0", "--content",
                                   STEADY_SOURCE_DIR};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess("timeout", argv);
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("without --secret a secret file is made next to the database and kept",
          "[adapters][secret]") {
  TempDir dir;
  const std::string db = dir.File("data/steady.db");
  const std::string file = dir.File("data/steady.secret");
  const std::vector<std::string> args = {"--db", db, "--telegram-secret", kTelegramSecret};
  {
    ServerProcess server(args);
    httplib::Client client = server.Client();
    struct stat st {};
    REQUIRE(stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string secret = Trim(ReadFile(file));
    CHECK(secret.size() == 64);
    CHECK(secret.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(server.err().find(secret) == std::string::npos);  // never logged
    PostTelegram(client, TextUpdate(1, 4242, "I slipped last night"));
  }
  const std::string secret = Trim(ReadFile(file));
  ServerProcess server(args);  // a restart finds the same secret...
  httplib::Client client = server.Client();
  PostTelegram(client, TextUpdate(2, 4242, "Not really"));
  // ...so the person's messages land in the same conversation.
  const std::string id = SessionIdOf("telegram", "4242", secret);
  CHECK(UserEntries(client, id).size() == 2);
  CHECK(Trim(ReadFile(file)) == secret);
}

TEST_CASE("a secret file other users can read stops the server", "[adapters][secret]") {
  TempDir dir;
  dir.Write("steady.secret", std::string(64, 'a') + "\n");
  chmod(dir.File("steady.secret").c_str(), 0644);
  ProcessResult r = ServeRefusing({"--db", dir.File("steady.db"), "--telegram-secret", "abc"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("can be read by other users") != std::string::npos);
  CHECK(r.err.find("chmod 600") != std::string::npos);
  CHECK(r.err.find(std::string(64, 'a')) == std::string::npos);
}

TEST_CASE("a damaged secret file stops the server instead of being replaced",
          "[adapters][secret]") {
  TempDir dir;
  dir.Write("steady.secret", "not a secret\n");
  chmod(dir.File("steady.secret").c_str(), 0600);
  ProcessResult r = ServeRefusing({"--db", dir.File("steady.db"), "--telegram-secret", "abc"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("does not hold the 64 hex digits") != std::string::npos);
  CHECK(ReadFile(dir.File("steady.secret")) == "not a secret\n");
}

TEST_CASE("a secret given with --secret is used as is, and no secret file is made", "[adapters][secret]") {
  AdapterServer f;  // runs with --secret kServerSecret
  PostTelegram(f.client, TextUpdate(1, 99, "hi"));
  CHECK(UserEntries(f.client, SessionIdOf("telegram", "99")).size() == 1);
  CHECK_FALSE(std::filesystem::exists(f.dir.File("steady.secret")));
}

TEST_CASE("without an adapter no secret file is made", "[adapters][secret]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("steady.db")});
  CHECK_FALSE(std::filesystem::exists(dir.File("steady.secret")));
}

TEST_CASE("adapter options that cannot work are refused with a sentence, values not echoed",
          "[adapters][secret]") {
  TempDir dir;
  const std::string db = dir.File("steady.db");
  ProcessResult r = ServeRefusing({"--db", db, "--twilio-auth-token", "tok-1234"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--twilio-auth-token needs --public-url") != std::string::npos);
  CHECK(r.err.find("tok-1234") == std::string::npos);

  r = ServeRefusing({"--db", db, "--telegram-secret", "has spaces!"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--telegram-secret") != std::string::npos);
  CHECK(r.err.find("has spaces!") == std::string::npos);

  r = ServeRefusing({"--db", db, "--secret", "too-short"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--secret") != std::string::npos);

  r = ServeRefusing({"--db", db, "--twilio-auth-token", "t", "--public-url", "coach.example.org"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--public-url") != std::string::npos);
}

TEST_CASE("the adapter options read STEADY_* variables like every other option",
          "[adapters][secret]") {
  TempDir dir;
  setenv("STEADY_TWILIO_AUTH_TOKEN", kTwilioToken, 1);
  setenv("STEADY_PUBLIC_URL", kPublicUrl, 1);
  setenv("STEADY_SECRET", kServerSecret, 1);
  ServerProcess server({"--db", dir.File("steady.db")});
  unsetenv("STEADY_TWILIO_AUTH_TOKEN");
  unsetenv("STEADY_PUBLIC_URL");
  unsetenv("STEADY_SECRET");
  httplib::Client client = server.Client();
  httplib::Result r = PostSms(client, SmsForm("+15005550006", "hi", "SM1"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(UserEntries(client, SessionIdOf("sms", "+15005550006")).size() == 1);
}

TEST_CASE("steady serve --help lists the adapter options and their variables",
          "[adapters][secret]") {
  ProcessResult r = RunProcess(STEADY_BINARY, {"serve", "--help"});
  CHECK(r.exit_code == 0);
  for (const char* text : {"--telegram-secret", "STEADY_TELEGRAM_SECRET", "--twilio-auth-token",
                           "STEADY_TWILIO_AUTH_TOKEN", "--public-url", "STEADY_PUBLIC_URL",
                           "--secret", "STEADY_SECRET"}) {
    CHECK(r.out.find(text) != std::string::npos);
  }
}

}  // namespace steady::testing

// The server under load and over its life: concurrent turns, restarts,
// graceful shutdown, content reloads.
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

const char kJson[] = "application/json";


// A copy of the shipped content that a test may break and mend.
void CopyContent(const TempDir& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir.path() / "content");
  for (const char* folder : {"intents", "dialogs"}) {
    fs::copy(fs::path(STEADY_SOURCE_DIR) / folder, dir.path() / "content" / folder,
             fs::copy_options::recursive);
  }
}

}  // namespace

TEST_CASE("eight simultaneous messages to one session all get 200 and all are kept",
          "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  httplib::Client setup = server.Client();
  const std::string id = StartConversation(setup);

  std::atomic<int> ok{0};
  std::vector<std::thread> senders;
  for (int i = 0; i < 8; ++i) {
    senders.emplace_back([&, i] {
      httplib::Client client = server.Client();
      httplib::Result r = Send(client, id, "message number " + std::to_string(i));
      if (r && r->status == 200) ++ok;
    });
  }
  for (std::thread& t : senders) t.join();
  CHECK(ok == 8);
  std::vector<std::string> lines = UserLines(setup, id);
  CHECK(lines.size() == 8);
  CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == 8);
  CHECK(BodyJson(setup.Get("/v1/sessions/" + id))["state"]["turn_count"] == 8);
}

TEST_CASE("messages of one session sent one after another are stored in that order",
          "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  for (int i = 0; i < 10; ++i) REQUIRE(Send(client, id, "step " + std::to_string(i))->status == 200);
  std::vector<std::string> lines = UserLines(client, id);
  REQUIRE(lines.size() == 10);
  for (int i = 0; i < 10; ++i) CHECK(lines[static_cast<size_t>(i)] == "step " + std::to_string(i));
}

TEST_CASE("many sessions at once: every turn is answered and kept", "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--address-rate", "0"});
  httplib::Client setup = server.Client();
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(StartConversation(setup));
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 6; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client = server.Client();
      for (int i = 0; i < 5; ++i) {
        httplib::Result r = Send(client, ids[static_cast<size_t>((c + i) % 6)], "turn");
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  CHECK(ok == 30);
  size_t stored = 0;
  for (const std::string& id : ids) stored += UserLines(setup, id).size();
  CHECK(stored == 30);
}

TEST_CASE("after a restart on the same database the conversation continues where it was",
          "[server]") {
  TempDir dir;
  std::string id;
  std::string waiting_before;
  {
    ServerProcess server({"--db", dir.File("s.db")});
    httplib::Client client = server.Client();
    id = StartConversation(client);
    REQUIRE(Send(client, id, "I slipped last night")->status == 200);
    waiting_before = BodyJson(client.Get("/v1/sessions/" + id))["state"]["waiting_at"].dump();
    CHECK(server.Stop() == 0);
  }
  ServerProcess again({"--db", dir.File("s.db")});
  httplib::Client client = again.Client();
  nlohmann::json view = BodyJson(client.Get("/v1/sessions/" + id));
  CHECK(view["state"]["turn_count"] == 1);
  CHECK(view["state"]["waiting_at"].dump() == waiting_before);
  CHECK(Send(client, id, "yes")->status == 200);
  CHECK(UserLines(client, id) == std::vector<std::string>{"I slipped last night", "yes"});
}

TEST_CASE("SIGTERM during a stream of turns: every turn answered 200 is there after restart",
          "[server]") {
  TempDir dir;
  std::string id;
  std::vector<std::string> answered;
  {
    ServerProcess server({"--db", dir.File("s.db")});
    httplib::Client setup = server.Client();
    id = StartConversation(setup);
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::vector<std::thread> senders;
    for (int c = 0; c < 3; ++c) {
      senders.emplace_back([&, c] {
        httplib::Client client = server.Client();
        for (int i = 0; i < 200 && !stop; ++i) {
          const std::string text = "c" + std::to_string(c) + " m" + std::to_string(i);
          httplib::Result r = Send(client, id, text);
          if (!r) break;  // the server is gone
          if (r->status == 200) {
            std::lock_guard<std::mutex> lock(mu);
            answered.push_back(text);
          }
        }
      });
    }
    // Let some turns through, then ask the server to stop mid-stream.
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (answered.size() >= 10) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(server.Stop(SIGTERM) == 0);
    stop = true;
    for (std::thread& t : senders) t.join();
  }
  REQUIRE(answered.size() >= 10);
  ServerProcess again({"--db", dir.File("s.db")});
  httplib::Client client = again.Client();
  std::vector<std::string> stored = UserLines(client, id);
  std::multiset<std::string> kept(stored.begin(), stored.end());
  for (const std::string& text : answered) CHECK(kept.count(text) == 1);
  CHECK(stored.size() == answered.size());  // nothing half-written, nothing unanswered
}

TEST_CASE("SIGHUP reloads the content; content that fails validation keeps the old serving",
          "[server]") {
  TempDir dir;
  CopyContent(dir);
  const std::string content = dir.File("content");
  ServerProcess server({"--db", dir.File("s.db"), "--content", content});
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);

  // Broken content: a pattern that does not compile.
  dir.Write("content/intents/zz_broken.json",
            R"({"intents": [{"id": "broken.one", "priority": 1, "patterns": ["(unclosed"],)"
            R"( "examples": ["x"], "counter_examples": []}]})");
  server.Signal(SIGHUP);
  // Requests keep being answered while and after the reload is refused.
  for (int i = 0; i < 10; ++i) CHECK(Send(client, id, "I used last night")->status == 200);
  bool refused = false;
  for (int i = 0; i < 100 && !refused; ++i) {
    refused = client.Get("/metrics")->body.find(
                  "steady_content_reloads_total{result=\"refused\"} 1") != std::string::npos;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(refused);
  CHECK(client.Get("/readyz")->status == 200);

  // Mended content with a new intent is taken on the next SIGHUP.
  std::filesystem::remove(dir.File("content/intents/zz_broken.json"));
  server.Signal(SIGHUP);
  bool reloaded = false;
  for (int i = 0; i < 100 && !reloaded; ++i) {
    reloaded = client.Get("/metrics")->body.find(
                   "steady_content_reloads_total{result=\"ok\"} 1") != std::string::npos;
    if (!reloaded) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(reloaded);
  CHECK(Send(client, id, "I used last night")->status == 200);
  CHECK(server.Stop() == 0);
}

TEST_CASE("the server refuses to start on content that fails validation", "[server]") {
  TempDir dir;
  CopyContent(dir);
  dir.Write("content/intents/zz_broken.json", R"({"intents": [{"id": "x", "patterns": [)");
  ProcessResult r = RunProcess(STEADY_BINARY, {"serve", "--port", "0", "--content",
                                               dir.File("content"), "--db", dir.File("s.db")});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("zz_broken.json") != std::string::npos);
}

TEST_CASE("serve --help lists every option with its environment variable", "[server]") {
  ProcessResult r = RunProcess(STEADY_BINARY, {"serve", "--help"});
  CHECK(r.exit_code == 0);
  for (const char* text : {"--host", "STEADY_HOST", "--port", "STEADY_PORT", "--db", "STEADY_DB",
                           "--allow-origin", "STEADY_ALLOW_ORIGIN", "--session-rate",
                           "--address-rate", "--max-body-bytes", "--retention-days"}) {
    CHECK(r.out.find(text) != std::string::npos);
  }
}

TEST_CASE("environment variables configure serve, and flags win over them", "[server]") {
  TempDir dir;
  setenv("STEADY_SESSION_BURST", "1", 1);
  setenv("STEADY_SESSION_RATE", "1", 1);
  ServerProcess limited({"--db", dir.File("a.db")});
  ServerProcess flagged({"--db", dir.File("b.db"), "--session-burst", "5"});
  unsetenv("STEADY_SESSION_BURST");
  unsetenv("STEADY_SESSION_RATE");
  httplib::Client a = limited.Client();
  const std::string id_a = StartConversation(a);
  CHECK(Send(a, id_a, "hello")->status == 200);
  CHECK(Send(a, id_a, "hello")->status == 429);
  httplib::Client b = flagged.Client();
  const std::string id_b = StartConversation(b);
  CHECK(Send(b, id_b, "hello")->status == 200);
  CHECK(Send(b, id_b, "hello")->status == 200);
}

TEST_CASE("a bad option or value is a usage error with one clear line", "[server]") {
  ProcessResult unknown = RunProcess(STEADY_BINARY, {"serve", "--nope"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--nope") != std::string::npos);
  ProcessResult bad = RunProcess(STEADY_BINARY, {"serve", "--port", "eighty"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--port") != std::string::npos);
  ProcessResult origin = RunProcess(STEADY_BINARY, {"serve", "--allow-origin", "clinic.example"});
  CHECK(origin.exit_code == 2);
}

TEST_CASE("steady chat --url talks through the server", "[server]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  ProcessResult r = RunProcess(STEADY_BINARY, {"chat", "--url", server.base_url()},
                               "I used last night\nI want to kill myself\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("you: I used last night") != std::string::npos);
  CHECK(r.out.find("988") != std::string::npos);
  // The conversation is stored on the server.
  const std::string marker = "resume with --session ";
  size_t at = r.err.find(marker);
  REQUIRE(at != std::string::npos);
  std::string id = r.err.substr(at + marker.size(), 22);
  httplib::Client client = server.Client();
  CHECK(UserLines(client, id).size() == 2);

  // --session resumes it through the server.
  ProcessResult resumed =
      RunProcess(STEADY_BINARY, {"chat", "--url", server.base_url(), "--session", id}, "ok\n");
  CHECK(resumed.exit_code == 0);
  CHECK(UserLines(client, id).size() == 3);
}

}  // namespace steady::testing

namespace steady::testing {

TEST_CASE("the database is readable by its owner only", "[server]") {
  TempDir dir;
  {
    ServerProcess server({"--db", dir.File("data/s.db")});
    httplib::Client client = server.Client();
    Send(client, StartConversation(client), "I used last night");
    for (const char* file : {"data/s.db", "data/s.db-wal"}) {
      struct stat st {};
      REQUIRE(stat(dir.File(file).c_str(), &st) == 0);
      CHECK((st.st_mode & 077) == 0);
    }
  }
}

}  // namespace steady::testing

// Escalation to a human, through the real server: a receiver on loopback
// that refuses the first deliveries, a server killed between the turn and
// the delivery, a store that is locked when the crisis comes. Every crisis
// turn's event arrives, signed, at least once, with one event id.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "server/access_log.h"
#include "server/api_helpers.h"
#include "server/escalation_event.h"
#include "support/run_process.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

constexpr char kSecret[] = "test-secret-0123456789";

// The operator's system: an HTTP server on loopback that answers 503 to the
// first `failures` deliveries and 200 after, and keeps what it was sent.
class Receiver {
 public:
  struct Delivery {
    int answered = 0;
    std::string body;
    std::string event_id, timestamp, signature;
  };

  explicit Receiver(int failures, int port = 0) : failures_(failures) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      Delivery d;
      d.body = req.body;
      d.event_id = req.get_header_value("X-Steady-Event-Id");
      d.timestamp = req.get_header_value("X-Steady-Timestamp");
      d.signature = req.get_header_value("X-Steady-Signature");
      d.answered = failures_ > 0 ? 503 : 200;
      if (failures_ > 0) --failures_;
      res.status = d.answered;
      deliveries_.push_back(d);
    });
    port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1") : port;
    if (port != 0 && !server_.bind_to_port("127.0.0.1", port)) port_ = -1;
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the thread entered listen would leave it listening
    // forever; wait until it is running.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int port() const { return port_; }

  std::vector<Delivery> deliveries() {
    std::lock_guard<std::mutex> lock(mu_);
    return deliveries_;
  }
  std::vector<Delivery> accepted() {
    std::vector<Delivery> out;
    for (const Delivery& d : deliveries()) {
      if (d.answered == 200) out.push_back(d);
    }
    return out;
  }

  // Waits up to 30 s for `n` accepted deliveries.
  bool WaitForAccepted(size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (accepted().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  httplib::Server server_;
  std::mutex mu_;
  int failures_;
  std::vector<Delivery> deliveries_;
  int port_ = 0;
  std::thread thread_;
};

std::vector<std::string> EscalatingServer(const std::string& db, const std::string& url) {
  return {"--db", db, "--escalation-url", url, "--escalation-secret", kSecret,
          "--escalation-retry-seconds", "1", "--escalation-timeout", "2"};
}

// The value of an unlabelled metric line, or -1.
double Metric(httplib::Client& client, const std::string& name) {
  const std::string text = client.Get("/metrics")->body;
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

bool WaitForMetric(httplib::Client& client, const std::string& name, double value) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Metric(client, name) == value) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST_CASE("a crisis turn reaches the receiver signed, after it refused the first tries",
          "[server][escalation]") {
  TempDir dir;
  Receiver receiver(/*failures=*/2);
  ServerProcess server(EscalatingServer(dir.File("s.db"), receiver.url()));
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  REQUIRE(Send(client, id, "I drank last night")->status == 200);  // not a crisis
  httplib::Result crisis = Send(client, id, "i want to kill myself");
  REQUIRE(crisis->status == 200);
  REQUIRE(BodyJson(crisis)["crisis"]["category"] == "suicide");

  REQUIRE(receiver.WaitForAccepted(1));
  const std::vector<Receiver::Delivery> all = receiver.deliveries();
  REQUIRE(all.size() == 3);  // two refused, then accepted
  CHECK(all[0].answered == 503);
  CHECK(all[1].answered == 503);
  for (const Receiver::Delivery& d : all) {
    CHECK(d.event_id == all[0].event_id);  // one event, retried
    CHECK(d.body == all[0].body);
    CHECK(d.signature == SignEscalation(kSecret, d.timestamp, d.body));
    CHECK(d.signature != SignEscalation("another secret!!", d.timestamp, d.body));
  }
  const nlohmann::json event = nlohmann::json::parse(all[2].body);
  CHECK(event["event_id"] == all[2].event_id);
  CHECK(event["type"] == "crisis_turn");
  CHECK(event["category"] == "suicide");
  CHECK(event["intent"] == "crisis.suicide");
  CHECK(event["session"] == SessionHash(id));
  CHECK(event["session_path"] == "/v1/sessions/" + id);
  CHECK(event["turn"] == 2);
  CHECK(event["crisis_started_at"].is_string());
  CHECK_FALSE(event.contains("text"));  // no message text unless asked for
  CHECK(all[2].body.find("kill") == std::string::npos);

  CHECK(WaitForMetric(client, "steady_escalations_pending", 0));
  const std::string metrics = client.Get("/metrics")->body;
  CHECK(metrics.find("steady_escalation_attempts_total{result=\"delivered\"} 1") !=
        std::string::npos);
  CHECK(metrics.find("steady_escalation_attempts_total{result=\"failed\"} 2") !=
        std::string::npos);
  // The log says that deliveries failed, never what the person wrote.
  CHECK(server.err().find("escalation_retry") != std::string::npos);
  CHECK(server.err().find("kill myself") == std::string::npos);
}

TEST_CASE("while the receiver is down, /metrics shows the event pending and failing",
          "[server][escalation]") {
  TempDir dir;
  Receiver receiver(/*failures=*/1000);
  ServerProcess server(EscalatingServer(dir.File("s.db"), receiver.url()));
  httplib::Client client = server.Client();
  CHECK(Metric(client, "steady_escalations_pending") == 0);
  const std::string id = StartConversation(client);
  REQUIRE(Send(client, id, "my friend isnt breathing and his lips are blue")->status == 200);
  CHECK(WaitForMetric(client, "steady_escalations_failing", 1));
  CHECK(Metric(client, "steady_escalations_pending") == 1);
  CHECK(Metric(client, "steady_escalation_oldest_pending_seconds") >= 0);
  const nlohmann::json event = nlohmann::json::parse(receiver.deliveries().at(0).body);
  CHECK(event["category"] == "overdose");
}

TEST_CASE("only crisis turns escalate, and a retried message escalates once",
          "[server][escalation]") {
  TempDir dir;
  Receiver receiver(/*failures=*/0);
  ServerProcess server(EscalatingServer(dir.File("s.db"), receiver.url()));
  httplib::Client client = server.Client();
  const std::string quiet = StartConversation(client);
  for (const char* text : {"hi", "I slipped last night", "this craving is killing me",
                           "I feel worthless"}) {
    REQUIRE(Send(client, quiet, text)->status == 200);
  }
  const std::string id = StartConversation(client);
  REQUIRE(Send(client, id, "he hits me and I'm scared to go home", "m-1")->status == 200);
  REQUIRE(Send(client, id, "he hits me and I'm scared to go home", "m-1")->status == 200);
  REQUIRE(receiver.WaitForAccepted(1));
  REQUIRE(WaitForMetric(client, "steady_escalations_pending", 0));
  std::set<std::string> ids;
  for (const Receiver::Delivery& d : receiver.deliveries()) ids.insert(d.event_id);
  CHECK(ids.size() == 1);
  CHECK(nlohmann::json::parse(receiver.deliveries()[0].body)["category"] == "abuse");
}

TEST_CASE("with --escalation-include-text the event carries the message",
          "[server][escalation]") {
  TempDir dir;
  Receiver receiver(/*failures=*/0);
  std::vector<std::string> args = EscalatingServer(dir.File("s.db"), receiver.url());
  args.push_back("--escalation-include-text");
  ServerProcess server(args);
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);
  REQUIRE(Send(client, id, "I cut myself again tonight 😔")->status == 200);
  REQUIRE(receiver.WaitForAccepted(1));
  const nlohmann::json event = nlohmann::json::parse(receiver.accepted()[0].body);
  CHECK(event["category"] == "self_harm");
  CHECK(event["text"] == "I cut myself again tonight 😔");
}

TEST_CASE("an event survives the server being killed before it could deliver it",
          "[server][escalation]") {
  TempDir dir;
  int port = 0;
  {  // find a free port, then leave it closed: the receiver is down
    Receiver probe(0);
    port = probe.port();
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  std::string id;
  {
    ServerProcess server(EscalatingServer(dir.File("s.db"), url));
    httplib::Client client = server.Client();
    id = StartConversation(client);
    REQUIRE(Send(client, id, "ive got the pills in my hand, tonight is the night")->status == 200);
    REQUIRE(WaitForMetric(client, "steady_escalations_failing", 1));
    server.Stop(SIGKILL);  // no goodbye: only what is on disk survives
  }
  Receiver receiver(/*failures=*/0, port);
  ServerProcess restarted(EscalatingServer(dir.File("s.db"), url));
  REQUIRE(receiver.WaitForAccepted(1));
  const nlohmann::json event = nlohmann::json::parse(receiver.accepted()[0].body);
  CHECK(event["session_path"] == "/v1/sessions/" + id);
  CHECK(event["category"] == "suicide");
  httplib::Client client = restarted.Client();
  CHECK(WaitForMetric(client, "steady_escalations_pending", 0));
}

TEST_CASE("a crisis while the database is locked is escalated once the lock is gone",
          "[server][escalation]") {
  TempDir dir;
  Receiver receiver(/*failures=*/0);
  ServerProcess server(EscalatingServer(dir.File("s.db"), receiver.url()));
  httplib::Client client = server.Client();
  const std::string id = StartConversation(client);

  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(dir.File("s.db").c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  httplib::Result crisis = Send(client, id, "i took all my pills and i feel like im dying");
  REQUIRE(crisis);
  CHECK(crisis->status == 503);  // not stored, but answered with 911
  CHECK(BodyJson(crisis)["crisis"]["category"] == "overdose");
  CHECK(receiver.deliveries().empty());  // the event waits for the store
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);

  REQUIRE(receiver.WaitForAccepted(1));
  const nlohmann::json event = nlohmann::json::parse(receiver.accepted()[0].body);
  CHECK(event["category"] == "overdose");
  CHECK(event["session_path"] == "/v1/sessions/" + id);
}

TEST_CASE("escalation options that cannot work are refused at start", "[server][escalation]") {
  TempDir dir;
  const std::string db = dir.File("s.db");
  ProcessResult no_secret =
      RunProcess(STEADY_BINARY, {"serve", "--db", db, "--escalation-url", "http://127.0.0.1:9/x"});
  CHECK(no_secret.exit_code == 2);
  CHECK(no_secret.err.find("--escalation-secret") != std::string::npos);
  ProcessResult bad_url = RunProcess(
      STEADY_BINARY, {"serve", "--db", db, "--escalation-url", "ftp://ops.example/x",
                      "--escalation-secret", kSecret});
  CHECK(bad_url.exit_code == 2);
  CHECK(bad_url.err.find("--escalation-url") != std::string::npos);
  ProcessResult short_secret = RunProcess(
      STEADY_BINARY, {"serve", "--db", db, "--escalation-url", "https://ops.example/x",
                      "--escalation-secret", "short"});
  CHECK(short_secret.exit_code == 2);
}

}  // namespace
}  // namespace steady::testing

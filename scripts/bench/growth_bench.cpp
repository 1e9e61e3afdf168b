// steady_bench_growth: the helper of scripts/bench/growth (cost as work grows).
//
//   steady_bench_growth populate --db FILE --content DIR --sessions N --turns K --ids FILE
//   steady_bench_growth latency  --url URL --turns N --runs R
//   steady_bench_growth touch    --url URL --ids FILE --connections C [--tag T]
//   steady_bench_growth dbstat   --db FILE
//
// populate: adds N sessions to the SQLite file through the project's own
//   SqliteStore, each exactly as ConversationService stores it: a greeting
//   from Engine::Start, then K turns (load, parse the state, Engine::Respond,
//   CommitTurn with the new state, the transcript lines, a client_message_id
//   and the response JSON the client would have got). Appends the new ids,
//   one a line, to the ids file. It bypasses HTTP only to be fast; the rows
//   are the rows a server would have written.
// latency: R times, starts a session over HTTP and sends it N turns one
//   after another on one keep-alive connection, each a fresh
//   client_message_id and a text from a fixed list of 30, in order; times
//   every request on the client (send to full response). Any 60 consecutive
//   turns carry each text exactly twice, so the first and the last 60 turns
//   of a session (30 when N < 240) are the same mix and their medians can be
//   compared. Checks at the end that the server counted N turns.
// touch: one real turn for every session in the ids file, from C keep-alive
//   connections at once, each session with its own X-Forwarded-For address
//   (as many people behind a proxy would be), so the per-session and
//   per-address state the server keeps is exercised. The client_message_ids
//   are T-0, T-1... (T: "touch"), so a second pass needs another tag to be
//   answered with new turns rather than replays.
// dbstat: page_count * page_size, free pages and row counts of the file.
//
// Output is "key value" lines for the script. Exit 1 on any answer other
// than 2xx or any store error, 2 on bad usage.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "core/content_loader.h"
#include "core/engine.h"
#include "core/session_state.h"
#include "core/turn_json.h"
#include "store/session_id.h"
#include "store/sqlite_store.h"

namespace {

using Clock = std::chrono::steady_clock;


[[noreturn]] void Fail(int code, const std::string& message) {
  std::fprintf(stderr, "steady_bench_growth: %s\n", message.c_str());
  std::exit(code);
}

// What people write to the coach: lapses, cravings, shame, questions,
// answers to quick replies, a check-in. The same texts, from the same file,
// as scripts/bench/http_turns.lua, so both benchmarks send the same mix.
const std::vector<std::string>& Texts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> lines;
    std::ifstream in(STEADY_BENCH_TEXTS);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
    if (lines.empty()) Fail(2, std::string("no texts in ") + STEADY_BENCH_TEXTS);
    return lines;
  }();
  return texts;
}

// --name value pairs after the subcommand.
std::map<std::string, std::string> ParseFlags(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 2; i < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0 || i + 1 >= argc) Fail(2, "bad argument " + name);
    flags[name.substr(2)] = argv[i + 1];
  }
  return flags;
}

std::string Need(const std::map<std::string, std::string>& flags, const std::string& name) {
  auto it = flags.find(name);
  if (it == flags.end()) Fail(2, "missing --" + name);
  return it->second;
}

long NeedNumber(const std::map<std::string, std::string>& flags, const std::string& name) {
  const std::string text = Need(flags, name);
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || n < 0) Fail(2, "--" + name + " wants a whole number");
  return n;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// ---------------------------------------------------------------- populate

std::vector<steady::TranscriptEntry> CoachEntries(const steady::Turn& turn, int64_t now) {
  std::vector<steady::TranscriptEntry> entries;
  for (const steady::Reply& reply : turn.replies) {
    entries.push_back({steady::TranscriptEntry::Role::kCoach, reply.text, "", "", now});
  }
  return entries;
}

int Populate(const std::map<std::string, std::string>& flags) {
  const std::string db = Need(flags, "db");
  const long sessions = NeedNumber(flags, "sessions");
  const long turns = NeedNumber(flags, "turns");
  std::ofstream ids(Need(flags, "ids"), std::ios::app);
  if (!ids) Fail(1, "cannot write the ids file");

  steady::LoadResult loaded = steady::LoadContent(Need(flags, "content"));
  for (const steady::ContentProblem& p : loaded.problems) {
    if (!p.warning) Fail(1, "content: " + p.ToString());
  }
  if (!loaded.content) Fail(1, "content did not load");
  std::unique_ptr<steady::Engine> engine;
  steady::Status s = steady::Engine::Create(loaded.content, steady::EngineOptions(), &engine);
  if (!s.ok()) Fail(1, "engine: " + s.message());
  std::unique_ptr<steady::SqliteStore> store;
  s = steady::SqliteStore::Open(db, steady::SqliteStoreOptions(), &store);
  if (!s.ok()) Fail(1, "store: " + s.message());

  const auto start = Clock::now();
  long commits = 0;
  for (long i = 0; i < sessions; ++i) {
    std::string id;
    uint64_t seed = 0;
    if (!steady::NewSessionId(&id).ok() || !steady::NewSeed(&seed).ok()) {
      Fail(1, "no random source");
    }
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    steady::Turn opening = engine->Start(seed);
    s = store->Create(id, steady::SerializeState(opening.state), CoachEntries(opening, now), now);
    if (!s.ok()) Fail(1, "Create: " + s.message());
    ++commits;
    for (long t = 0; t < turns; ++t) {
      steady::StoredSession stored;
      steady::SessionState state;
      s = store->Load(id, &stored);
      if (s.ok()) s = steady::ParseState(stored.state_json, &state);
      if (!s.ok()) Fail(1, "Load: " + s.message());
      const std::string text = Texts()[(static_cast<size_t>(i) * 7 + t) % Texts().size()];
      steady::TurnContext context;
      context.now = now;
      steady::Turn turn = engine->Respond(state, text, context);
      if (!turn.ok()) Fail(1, "the engine refused a message");
      steady::TurnRecord record;
      record.session_id = id;
      record.expected_version = stored.version;
      record.client_message_id = "p" + std::to_string(t);
      record.user_text = text;
      record.now = now;
      record.coach_messages = CoachEntries(turn, now);
      record.intent = turn.intent;
      record.crisis = turn.crisis ? steady::CrisisCategoryName(*turn.crisis) : "";
      record.new_state_json = steady::SerializeState(turn.state);
      record.response_json = steady::TurnResponseJson(turn).dump();
      s = store->CommitTurn(record);
      if (!s.ok()) Fail(1, "CommitTurn: " + s.message());
      ++commits;
    }
    ids << id << '\n';
  }
  ids.flush();
  if (!ids) Fail(1, "cannot write the ids file");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("sessions %ld\nturns %ld\ncommits %ld\nseconds %.3f\ncommits_per_second %.0f\n",
              sessions, sessions * turns, commits, seconds, commits / seconds);
  return 0;
}

// ----------------------------------------------------------------- HTTP

struct Url {
  std::string host;
  int port = 0;
};

Url ParseUrl(const std::string& url) {
  const std::string prefix = "http://";
  size_t colon = url.rfind(':');
  if (url.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size()) {
    Fail(2, "--url wants http://HOST:PORT");
  }
  Url u;
  u.host = url.substr(prefix.size(), colon - prefix.size());
  u.port = std::atoi(url.c_str() + colon + 1);
  return u;
}

std::unique_ptr<httplib::Client> NewClient(const Url& url) {
  auto client = std::make_unique<httplib::Client>(url.host, url.port);
  client->set_keep_alive(true);
  // Without it the request's headers and body, written separately, wait on
  // Nagle's algorithm and the server's delayed ACK: 40 ms a request.
  client->set_tcp_nodelay(true);
  client->set_connection_timeout(5);
  client->set_read_timeout(10);
  client->set_write_timeout(10);
  return client;
}

std::string MessageBody(const std::string& text, const std::string& client_message_id) {
  return nlohmann::json{{"text", text}, {"client_message_id", client_message_id}}.dump();
}

std::string StartSession(httplib::Client* client) {
  httplib::Result res = client->Post("/v1/sessions", "", "application/json");
  if (!res) Fail(1, "POST /v1/sessions: " + httplib::to_string(res.error()));
  if (res->status != 201) Fail(1, "POST /v1/sessions answered " + std::to_string(res->status));
  nlohmann::json body = nlohmann::json::parse(res->body, nullptr, false);
  if (!body.is_object() || !body.contains("session_id")) Fail(1, "no session_id in the answer");
  return body["session_id"].get<std::string>();
}

int Latency(const std::map<std::string, std::string>& flags) {
  const Url url = ParseUrl(Need(flags, "url"));
  const long turns = NeedNumber(flags, "turns");
  const long runs = NeedNumber(flags, "runs");
  if (turns < 60 || runs < 1) Fail(2, "latency wants --turns 60 or more and --runs 1 or more");
  // Whole multiples of the text list, so both windows hold the same mix.
  const long window = turns >= 240 ? 60 : 30;

  std::vector<double> firsts, lasts, all_p99;
  for (long run = 1; run <= runs; ++run) {
    std::unique_ptr<httplib::Client> client = NewClient(url);
    const std::string id = StartSession(client.get());
    const std::string path = "/v1/sessions/" + id + "/messages";
    std::vector<double> us(static_cast<size_t>(turns));
    for (long t = 0; t < turns; ++t) {
      const std::string body = MessageBody(Texts()[static_cast<size_t>(t) % Texts().size()],
                                           "r" + std::to_string(run) + "-" + std::to_string(t));
      const auto begin = Clock::now();
      httplib::Result res = client->Post(path.c_str(), body, "application/json");
      const auto end = Clock::now();
      if (!res) Fail(1, "turn " + std::to_string(t + 1) + ": " + httplib::to_string(res.error()));
      if (res->status != 200) {
        Fail(1, "turn " + std::to_string(t + 1) + " answered " + std::to_string(res->status));
      }
      us[static_cast<size_t>(t)] = std::chrono::duration<double, std::micro>(end - begin).count();
    }
    // The server must have stored every turn.
    httplib::Result view = client->Get(("/v1/sessions/" + id).c_str());
    if (!view || view->status != 200) Fail(1, "GET /v1/sessions/{id} failed after the run");
    nlohmann::json state = nlohmann::json::parse(view->body, nullptr, false);
    if (!state.is_object() || state["state"].value("turn_count", -1L) != turns) {
      Fail(1, "the server did not count " + std::to_string(turns) + " turns");
    }
    const double first = Median(std::vector<double>(us.begin(), us.begin() + window));
    const double last = Median(std::vector<double>(us.end() - window, us.end()));
    const double p99 = Percentile(us, 99);
    std::printf("run %ld first_us %.1f last_us %.1f p99_us %.1f\n", run, first, last, p99);
    firsts.push_back(first);
    lasts.push_back(last);
    all_p99.push_back(p99);
  }
  const double first = Median(firsts), last = Median(lasts);
  std::printf("window %ld\nfirst_us %.1f\nlast_us %.1f\nratio %.2f\np99_us %.1f\n", window, first,
              last, last / first, Median(all_p99));
  return 0;
}

int Touch(const std::map<std::string, std::string>& flags) {
  const Url url = ParseUrl(Need(flags, "url"));
  const long connections = std::max(1L, NeedNumber(flags, "connections"));
  const std::string tag = flags.count("tag") ? flags.at("tag") : "touch";
  std::vector<std::string> ids;
  {
    std::ifstream in(Need(flags, "ids"));
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) ids.push_back(line);
    }
  }
  if (ids.empty()) Fail(2, "no session ids to touch");

  std::atomic<size_t> next{0};
  std::atomic<long> failed{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(connections));
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (long c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      std::unique_ptr<httplib::Client> client = NewClient(url);
      for (size_t i = next++; i < ids.size() && failed == 0; i = next++) {
        char address[32];
        std::snprintf(address, sizeof address, "10.%zu.%zu.%zu", (i >> 16) & 255, (i >> 8) & 255,
                      i & 255);
        httplib::Headers headers = {{"X-Forwarded-For", address}};
        const std::string path = "/v1/sessions/" + ids[i] + "/messages";
        const std::string body = MessageBody(Texts()[i % Texts().size()], tag + "-" + std::to_string(i));
        const auto begin = Clock::now();
        httplib::Result res = client->Post(path.c_str(), headers, body, "application/json");
        const auto end = Clock::now();
        if (!res || res->status != 200) {
          if (failed++ == 0) {
            std::fprintf(stderr, "steady_bench_growth: touch %zu: %s\n", i,
                         res ? ("answered " + std::to_string(res->status) + " " + res->body).c_str()
                             : httplib::to_string(res.error()).c_str());
          }
          return;
        }
        latencies[static_cast<size_t>(c)].push_back(
            std::chrono::duration<double, std::micro>(end - begin).count());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (failed != 0) Fail(1, "a touch turn was not answered 200");
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::printf("touched %zu\nseconds %.3f\nturns_per_second %.0f\np50_us %.1f\np99_us %.1f\n",
              all.size(), seconds, all.size() / seconds, Median(all), Percentile(all, 99));
  return 0;
}

// ----------------------------------------------------------------- dbstat

int64_t QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    Fail(1, std::string("dbstat: ") + sqlite3_errmsg(db));
  }
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return value;
}

int DbStat(const std::map<std::string, std::string>& flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(Need(flags, "db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    Fail(1, "dbstat: cannot open the file");
  }
  const int64_t pages = QueryInt(db, "PRAGMA page_count");
  const int64_t page_size = QueryInt(db, "PRAGMA page_size");
  std::printf("page_count %" PRId64 "\npage_size %" PRId64 "\nfreelist_count %" PRId64
              "\nbytes %" PRId64 "\n",
              pages, page_size, QueryInt(db, "PRAGMA freelist_count"), pages * page_size);
  std::printf("sessions %" PRId64 "\nuser_messages %" PRId64 "\nmessages %" PRId64
              "\nturn_records %" PRId64 "\n",
              QueryInt(db, "SELECT count(*) FROM sessions"),
              QueryInt(db, "SELECT count(*) FROM messages WHERE role = 'user'"),
              QueryInt(db, "SELECT count(*) FROM messages"),
              QueryInt(db, "SELECT count(*) FROM turns"));
  sqlite3_close(db);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) Fail(2, "usage: steady_bench_growth populate|latency|touch|dbstat --flag value...");
  const std::string command = argv[1];
  const std::map<std::string, std::string> flags = ParseFlags(argc, argv);
  if (command == "populate") return Populate(flags);
  if (command == "latency") return Latency(flags);
  if (command == "touch") return Touch(flags);
  if (command == "dbstat") return DbStat(flags);
  Fail(2, "unknown command " + command);
}

// steady serve: the HTTP chat API on one SQLite file.
//
// Startup: options (flags over STEADY_* variables), content loaded and
// validated (refused content means no server), the database opened and
// migrated, the port bound; then one line on stdout,
//   steady: listening on http://127.0.0.1:8080
// which scripts and tests wait for.
//
// Signals are handled on one thread with sigtimedwait, never in a signal
// handler: SIGTERM and SIGINT stop accepting, let requests in flight finish
// and close the database; SIGHUP reloads the content and keeps the old one
// if the new one does not validate.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/messaging_adapters.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/serve_options.h"
#include "server/escalation_worker.h"
#include "server/http_server.h"
#include "server/purge_timer.h"
#include "store/open_store.h"

namespace steady {
namespace {

// One JSON line on stderr about the server itself (not a request).
void LogEvent(const std::string& event, const nlohmann::json& fields = nlohmann::json::object()) {
  nlohmann::json line = {{"time", FormatUtc(std::time(nullptr))}, {"event", event}};
  line.update(fields);
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

sigset_t ServerSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

int RunServe(const Args& args, std::istream&, std::ostream& out, std::ostream& err) {
  ServeConfig config;
  std::string error;
  if (!ParseServeOptions(args, ServeEnvironment(), &config, &error)) {
    err << "steady serve: " << error << "\n";
    return kExitUsage;
  }
  if (config.help) {
    PrintServeHelp(out);
    return kExitOk;
  }
  // A file-size limit (ulimit -f) must fail a write, which SQLite reports
  // and the turn answers with 503, not kill the server mid-request.
  signal(SIGXFSZ, SIG_IGN);

  // Transcripts are private: the database, its WAL and the folder made for
  // them are readable by this user only, whatever the caller's umask.
  umask(077);
  const std::string content_root = ResolveContentRoot(config.content);
  EngineOptions engine_options;
  engine_options.max_message_chars = config.max_text_chars;
  std::unique_ptr<Engine> first_engine;
  if (int rc = LoadEngine(content_root, err, &first_engine, engine_options)) return rc;
  EngineHolder engines(std::shared_ptr<const Engine>(std::move(first_engine)));

  StoreOptions store_options;
  store_options.sqlite.sync_every_commit = config.sync_every_commit;
  // One database connection per worker thread: a turn never waits for a
  // connection while a thread is free.
  store_options.postgres.pool_size = std::min(config.server.threads, 64);
  std::unique_ptr<SessionStore> store;
  if (Status s = OpenStore(config.db, store_options, &store); !s.ok()) {
    err << "steady serve: cannot open " << RedactDbUrl(config.db) << ": " << s.message() << "\n";
    return kExitUsage;
  }

  // Block the signals in every thread started from here on; the signal
  // thread below takes them.
  sigset_t signals = ServerSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Metrics metrics;
  AccessLog access_log(config.server.access_log ? stderr : nullptr);
  ConversationService conversations(&engines, store.get(), &metrics);
  // Escalation: a worker delivers the outbox; turns wake it.
  std::unique_ptr<EscalationWorker> escalation;
  if (config.escalation.enabled()) {
    escalation = std::make_unique<EscalationWorker>(
        store.get(), config.escalation, &metrics,
        [](const std::string& event, const std::string& detail) {
          LogEvent(event, {{"detail", detail}});
        });
    EscalationWorker* worker = escalation.get();
    EscalationHooks hooks;
    hooks.include_text = config.escalation.include_text;
    hooks.committed = [worker] { worker->Wake(); };
    hooks.not_stored = [worker](OutboxEvent event) { worker->Remember(std::move(event)); };
    conversations.EnableEscalation(std::move(hooks));
    SessionStore* outbox = store.get();
    metrics.SetOutboxProbe([outbox](OutboxStats* stats) { return outbox->GetOutboxStats(stats).ok(); });
  }
  ServerDeps deps;
  deps.conversations = &conversations;
  deps.engines = &engines;
  deps.store = store.get();
  deps.metrics = &metrics;
  deps.access_log = &access_log;
  // Messaging adapters: their webhooks, when their options enable them.
  std::unique_ptr<MessagingAdapters> adapters;
  if (Status s = MessagingAdapters::Create(config.adapters, config.db, &conversations,
                                           store.get(), &engines, &adapters);
      !s.ok()) {
    err << "steady serve: " << s.message() << "\n";
    return kExitUsage;
  }
  deps.webhooks = adapters->Webhooks();
  HttpServer server(config.server, deps);
  if (!server.Bind(&error)) {
    err << "steady serve: " << error << "\n";
    return kExitUsage;
  }

  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    const timespec tick{0, 200 * 1000 * 1000};
    while (!done.load()) {
      const int sig = sigtimedwait(&signals, nullptr, &tick);
      if (sig == SIGTERM || sig == SIGINT) {
        LogEvent("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
        server.Stop();
        return;
      }
      if (sig == SIGHUP) {
        std::ostringstream problems;
        std::unique_ptr<Engine> fresh;
        std::string unfit;  // the enabled adapters need their channel's wording
        if (LoadEngine(content_root, problems, &fresh, engine_options) == 0 &&
            !adapters->ContentFits(fresh->content(), &unfit)) {
          problems << unfit << "\n";
          fresh.reset();
        }
        if (fresh) {
          engines.Set(std::shared_ptr<const Engine>(std::move(fresh)));
          metrics.CountReload(true);
          LogEvent("content_reloaded");
        } else {
          metrics.CountReload(false);
          LogEvent("content_reload_refused", {{"problems", problems.str()}});
        }
      }
    }
  });

  PurgeTimer purge(store.get(), &metrics, config.server.retention_days,
                   config.server.purge_interval_seconds);
  if (escalation) {
    escalation->Start();
    HttpUrl url;
    std::string ignored;
    ParseHttpUrl(config.escalation.url, &url, &ignored);
    LogEvent("escalation_on", {{"to", url.origin}, {"include_text", config.escalation.include_text}});
  }
  if (!adapters->Enabled().empty()) {
    LogEvent("adapters_on", {{"adapters", adapters->Enabled()},
                             {"secret_file_created", adapters->secret_created()}});
  }
  out << "steady: listening on http://" << config.server.host << ":" << server.port() << std::endl;
  LogEvent("listening", {{"host", config.server.host},
                         {"port", server.port()},
                         {"threads", config.server.threads}});
  const bool served = server.Serve();
  done = true;
  signal_thread.join();
  purge.Stop();
  if (escalation) escalation->Stop();  // before the store it reads closes
  store.reset();  // close the database after the last request finished
  LogEvent("stopped");
  return served ? kExitOk : kExitCheckFailed;
}

}  // namespace steady

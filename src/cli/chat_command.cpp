// steady chat: a terminal conversation, stored in the SQLite file so that
// `--session ID` resumes it. Reads one message a line, so it works piped.
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <ostream>

#include "cli/arg_parser.h"
#include "cli/cli_common.h"
#include "cli/chat_input.h"
#include "cli/commands.h"
#include "cli/remote_chat.h"
#include "server/conversation_service.h"
#include "store/session_id.h"
#include "store/open_store.h"

namespace steady {
namespace {

constexpr int kDefaultRetentionDays = 30;

void PrintTurn(const Turn& turn, bool debug, std::ostream& out) {
  for (const Reply& reply : turn.replies) {
    out << "steady: " << reply.text << "\n";
    if (!reply.quick_replies.empty()) {
      out << "       ";
      for (const std::string& q : reply.quick_replies) out << " [" << q << "]";
      out << "\n";
    }
  }
  for (const Resource* r : turn.resources) {
    out << "        * " << (r->text.empty() ? r->name : r->text) << "\n";
  }
  if (debug) {
    out << "  [debug] intent=" << turn.intent
        << " crisis=" << (turn.crisis ? CrisisCategoryName(*turn.crisis) : "none")
        << " flow=" << (turn.debug.flow.empty() ? "-" : turn.debug.flow)
        << " node=" << (turn.debug.node.empty() ? "-" : turn.debug.node) << "\n";
    if (!turn.debug.pattern.empty()) out << "  [debug] pattern: " << turn.debug.pattern << "\n";
    out << "  [debug] normalized: \"" << turn.debug.normalized << "\"\n";
    for (const IntentMatch& m : turn.debug.matches) {
      out << "  [debug] matched " << m.intent->id << " (priority " << m.intent->priority
          << "): " << m.pattern << "\n";
    }
    for (const std::string& v : turn.debug.vetoed) out << "  [debug] vetoed " << v << "\n";
  }
}

}  // namespace

int RunChat(const Args& args, std::istream& in, std::ostream& out, std::ostream& err) {
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, {"--db", "--session", "--content", "--retention-days", "--url"}, {"--debug"},
                 &parsed, &error) ||
      !parsed.positional.empty()) {
    err << "steady chat: " << (error.empty() ? "takes no positional arguments" : error) << "\n";
    return kExitUsage;
  }
  const bool debug = parsed.Has("--debug");
  const std::string db_path = parsed.Value("--db", "var/steady.db");
  std::string session_id = parsed.Value("--session");
  if (!session_id.empty() && !IsWellFormedSessionId(session_id)) {
    err << "steady chat: a session id is 1-128 letters, digits, '-' or '_'\n";
    return kExitUsage;
  }
  if (parsed.values.count("--url")) {
    if (debug || parsed.values.count("--db") || parsed.values.count("--content")) {
      err << "steady chat: with --url the server has the database and content; "
             "--db, --content and --debug don't apply\n";
      return kExitUsage;
    }
    return RunRemoteChat(parsed.Value("--url"), session_id, in, out, err);
  }
  int retention_days = kDefaultRetentionDays;
  if (parsed.values.count("--retention-days")) {
    retention_days = std::atoi(parsed.Value("--retention-days").c_str());
    if (retention_days < 1) {
      err << "steady chat: --retention-days must be at least 1\n";
      return kExitUsage;
    }
  }

  std::unique_ptr<Engine> loaded;
  if (int rc = LoadEngine(ResolveContentRoot(parsed.Value("--content")), err, &loaded)) return rc;
  EngineHolder engines(std::shared_ptr<const Engine>(std::move(loaded)));

  // Transcripts are private: the database, its WAL and the folder made for
  // them are readable by this user only, whatever the caller's umask.
  umask(077);
  StoreOptions store_options;
  store_options.postgres.pool_size = 1;
  std::unique_ptr<SessionStore> store;
  Status s = OpenStore(db_path, store_options, &store);
  if (!s.ok()) {
    err << "steady chat: cannot open " << RedactDbUrl(db_path) << ": " << s.message() << "\n";
    return kExitUsage;
  }
  // Transcripts expire (DESIGN.md, privacy): old ones go before we start.
  int64_t purged = 0;
  store->PurgeOlderThan(static_cast<int64_t>(std::time(nullptr)) - retention_days * 86400LL,
                        &purged);

  // The same turn function as the HTTP API: ordering, storage, and the
  // crisis reply even when saving fails.
  ConversationService conversations(&engines, store.get(), nullptr);
  StoredSession stored;
  if (!session_id.empty()) s = store->Load(session_id, &stored);
  if (!session_id.empty() && s.ok()) {
    err << "(resuming session " << session_id << ")\n";
  } else if (!session_id.empty() && s.code() != Status::Code::kNotFound) {
    err << "steady chat: " << s.message() << "\n";
    return kExitCheckFailed;
  } else {
    std::string response;
    Turn opening;
    s = conversations.StartSession(&session_id, &response, session_id, &opening);
    if (!s.ok()) {
      err << "steady chat: cannot create the session: " << s.message() << "\n";
      return kExitCheckFailed;
    }
    err << "(session " << session_id << "; resume with --session " << session_id << ")\n";
    PrintTurn(opening, debug, out);
  }

  return ForEachChatLine(in, out, [&](int number, const std::string& line) {
    TurnOutcome outcome = conversations.PostMessage(session_id, line, "");
    using Kind = TurnOutcome::Kind;
    // Whatever happened to saving, a reply that was computed is shown: a
    // person in crisis still sees it.
    if (outcome.turn) PrintTurn(*outcome.turn, debug, out);
    switch (outcome.kind) {
      case Kind::kAnswered:
      case Kind::kReplayed:
        return -1;
      case Kind::kRefused:
        err << "steady chat: line " << number << ": " << outcome.error_message << "\n";
        return outcome.input_error == InputError::kInvalidUtf8 ? kExitUsage : -1;
      case Kind::kNotFound:
        err << "steady chat: the conversation was deleted\n";
        return kExitCheckFailed;
      case Kind::kUnavailable:
        err << "steady chat: this turn was not saved: the database is unavailable\n";
        return kExitCheckFailed;
      case Kind::kInternal:
        out << "steady: " << kCrisisFallbackText << "\n";
        return kExitCheckFailed;
    }
    return -1;
  });
}

}  // namespace steady

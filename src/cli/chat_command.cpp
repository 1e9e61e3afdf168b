// steady chat: a terminal conversation, stored in the SQLite file so that
// `--session ID` resumes it. Reads one message a line, so it works piped.
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <ostream>

#include "cli/arg_parser.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "cli/remote_chat.h"
#include "core/turn_json.h"
#include "store/session_id.h"
#include "store/sqlite_store.h"

namespace steady {
namespace {

constexpr int kDefaultRetentionDays = 30;

std::vector<TranscriptEntry> CoachEntries(const Turn& turn, int64_t now) {
  std::vector<TranscriptEntry> entries;
  for (const Reply& reply : turn.replies) {
    entries.push_back(TranscriptEntry{TranscriptEntry::Role::kCoach, reply.text, "", "", now});
  }
  return entries;
}

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

  std::unique_ptr<Engine> engine;
  if (int rc = LoadEngine(ResolveContentRoot(parsed.Value("--content")), err, &engine)) return rc;

  std::unique_ptr<SqliteStore> store;
  Status s = SqliteStore::Open(db_path, SqliteStoreOptions(), &store);
  if (!s.ok()) {
    err << "steady chat: cannot open " << db_path << ": " << s.message() << "\n";
    return kExitUsage;
  }
  // Transcripts expire (DESIGN.md, privacy): old ones go before we start.
  int64_t purged = 0;
  store->PurgeOlderThan(static_cast<int64_t>(std::time(nullptr)) - retention_days * 86400LL,
                        &purged);

  StoredSession stored;
  SessionState state;
  if (!session_id.empty()) s = store->Load(session_id, &stored);
  if (!session_id.empty() && s.ok()) {
    if (Status p = ParseState(stored.state_json, &state); !p.ok()) {
      err << "steady chat: session " << session_id << " cannot be read: " << p.message() << "\n";
      return kExitCheckFailed;
    }
    err << "(resuming session " << session_id << ")\n";
  } else if (!session_id.empty() && s.code() != Status::Code::kNotFound) {
    err << "steady chat: " << s.message() << "\n";
    return kExitCheckFailed;
  } else {
    if (session_id.empty() && !NewSessionId(&session_id).ok()) {
      err << "steady chat: no random source for a session id\n";
      return kExitCheckFailed;
    }
    uint64_t seed = 0;
    if (!NewSeed(&seed).ok()) {
      err << "steady chat: no random source for a seed\n";
      return kExitCheckFailed;
    }
    Turn opening = engine->Start(seed);
    const int64_t now = std::time(nullptr);
    s = store->Create(session_id, SerializeState(opening.state), CoachEntries(opening, now), now);
    if (!s.ok()) {
      err << "steady chat: cannot create the session: " << s.message() << "\n";
      return kExitCheckFailed;
    }
    s = store->Load(session_id, &stored);
    if (!s.ok()) {
      err << "steady chat: " << s.message() << "\n";
      return kExitCheckFailed;
    }
    state = opening.state;
    err << "(session " << session_id << "; resume with --session " << session_id << ")\n";
    PrintTurn(opening, debug, out);
  }

  const bool interactive = isatty(STDIN_FILENO) && &in == &std::cin;
  std::string line;
  for (int number = 1;; ++number) {
    if (interactive) out << "you> " << std::flush;
    if (!std::getline(in, line)) break;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!interactive) out << "you: " << line << "\n";

    TurnContext context;
    context.now = std::time(nullptr);
    Turn turn = engine->Respond(state, line, context);
    if (turn.error == InputError::kInvalidUtf8) {
      err << "steady chat: line " << number << ": " << turn.error_message << "\n";
      return kExitUsage;
    }
    if (!turn.ok()) {
      err << "steady chat: line " << number << ": " << turn.error_message << "\n";
      continue;
    }
    TurnRecord record;
    record.session_id = session_id;
    record.expected_version = stored.version;
    record.user_text = line;
    record.now = context.now;
    record.coach_messages = CoachEntries(turn, record.now);
    record.intent = turn.intent;
    record.crisis = turn.crisis ? CrisisCategoryName(*turn.crisis) : "";
    record.new_state_json = SerializeState(turn.state);
    record.response_json = TurnResponseJson(turn).dump();
    // Show the reply even if saving fails: a person in crisis still sees it.
    PrintTurn(turn, debug, out);
    out.flush();
    s = store->CommitTurn(record);
    if (!s.ok()) {
      err << "steady chat: this turn was not saved: " << s.message() << "\n";
      return kExitCheckFailed;
    }
    ++stored.version;
    state = turn.state;
  }
  return kExitOk;
}

}  // namespace steady

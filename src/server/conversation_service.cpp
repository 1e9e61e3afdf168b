#include "server/conversation_service.h"

#include <ctime>

#include "core/turn_json.h"
#include "server/escalation_event.h"
#include "store/session_id.h"

namespace steady {
namespace {

// A commit that finds the session changed (another process answered a
// message of it first) reloads and tries again this many times in all.
constexpr int kMaxCommitAttempts = 5;

std::vector<TranscriptEntry> CoachEntries(const Turn& turn, int64_t now) {
  std::vector<TranscriptEntry> entries;
  for (const Reply& reply : turn.replies) {
    entries.push_back(TranscriptEntry{TranscriptEntry::Role::kCoach, reply.text, "", "", now});
  }
  return entries;
}

// Crisis and check-in replies must reach the person even when nothing can
// be saved; ordinary coaching must not pretend it was.
bool MustReachThePerson(const Turn& turn) {
  return turn.crisis.has_value() || turn.intent == "crisis.check_in" || turn.fail_safe;
}

std::string CrisisName(const Turn& turn) {
  return turn.crisis ? CrisisCategoryName(*turn.crisis) : "";
}

nlohmann::json TimeOrNull(const nlohmann::json& state, const char* field) {
  auto it = state.find(field);
  if (it == state.end() || !it->is_number_integer()) return nullptr;
  return FormatUtc(it->get<int64_t>());
}

}  // namespace

std::string FormatUtc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ConversationService::ConversationService(EngineHolder* engines, SessionStore* store,
                                         Metrics* metrics, Clock now)
    : engines_(engines), store_(store), metrics_(metrics), now_(std::move(now)) {}

int64_t ConversationService::Now() const {
  return now_ ? now_() : static_cast<int64_t>(std::time(nullptr));
}

Status ConversationService::StartSession(std::string* session_id, std::string* response,
                                         const std::string& requested_id, Turn* opening_out) {
  std::shared_ptr<const Engine> engine = engines_->Get();
  std::string id = requested_id;
  uint64_t seed = 0;
  if ((id.empty() && !NewSessionId(&id).ok()) || !NewSeed(&seed).ok()) {
    return Status::Internal("no random source for a session");
  }
  Turn opening = engine->Start(seed);
  const int64_t now = Now();
  Status s = store_->Create(id, SerializeState(opening.state), CoachEntries(opening, now), now);
  if (!s.ok()) {
    if (metrics_) metrics_->CountStoreError();
    return s;
  }
  if (metrics_) metrics_->CountSessionCreated();
  nlohmann::json body = {{"session_id", id}, {"messages", MessagesJson(opening.replies)}};
  *session_id = id;
  *response = body.dump();
  if (opening_out != nullptr) *opening_out = std::move(opening);
  return Status::Ok();
}

TurnOutcome ConversationService::PostMessage(const std::string& session_id,
                                             const std::string& text,
                                             const std::string& client_message_id) {
  std::shared_ptr<const Engine> engine = engines_->Get();
  try {
    TurnOutcome refused;
    refused.input_error = engine->CheckInput(text, &refused.error_message);
    if (refused.input_error != InputError::kNone) {
      refused.kind = TurnOutcome::Kind::kRefused;
      return refused;
    }
    SessionLocks::Hold hold = locks_.Acquire(session_id);
    TurnOutcome outcome = Answer(*engine, session_id, text, client_message_id);
    if (outcome.turn) outcome.engine = engine;
    return outcome;
  } catch (...) {
    // Nothing above should throw; if it does, the person still hears 988
    // and 911, and nothing claims to be saved.
    TurnOutcome outcome;
    outcome.kind = TurnOutcome::Kind::kInternal;
    outcome.response = TurnResponseJson(CrisisFallbackTurn(SessionState())).dump();
    return outcome;
  }
}

TurnOutcome ConversationService::Answer(const Engine& engine, const std::string& session_id,
                                        const std::string& text,
                                        const std::string& client_message_id) {
  TurnOutcome outcome;
  auto replay = [&](std::optional<std::string>* stored) -> bool {
    Status s = store_->FindResponse(session_id, client_message_id, stored);
    return s.ok() && stored->has_value();
  };
  std::optional<std::string> stored;
  if (!client_message_id.empty()) {
    Status s = store_->FindResponse(session_id, client_message_id, &stored);
    if (!s.ok()) return StoreFailed(nullptr, engine, session_id, text);
    if (stored) {
      outcome.kind = TurnOutcome::Kind::kReplayed;
      outcome.response = std::move(*stored);
      return outcome;
    }
  }

  for (int attempt = 0; attempt < kMaxCommitAttempts; ++attempt) {
    StoredSession session;
    Status s = store_->Load(session_id, &session);
    if (s.code() == Status::Code::kNotFound) {
      outcome.kind = TurnOutcome::Kind::kNotFound;
      return outcome;
    }
    if (!s.ok()) return StoreFailed(nullptr, engine, session_id, text);
    SessionState state;
    if (!ParseState(session.state_json, &state).ok()) {
      return StoreFailed(nullptr, engine, session_id, text);
    }

    const int64_t now = Now();
    TurnContext context;
    context.now = now;
    Turn turn = engine.Respond(state, text, context);
    if (!turn.ok()) {
      outcome.kind = TurnOutcome::Kind::kRefused;
      outcome.input_error = turn.error;
      outcome.error_message = turn.error_message;
      return outcome;
    }
    TurnRecord record;
    record.session_id = session_id;
    record.expected_version = session.version;
    record.client_message_id = client_message_id;
    record.user_text = text;
    record.now = now;
    record.coach_messages = CoachEntries(turn, now);
    record.intent = turn.intent;
    record.crisis = CrisisName(turn);
    record.new_state_json = SerializeState(turn.state);
    record.response_json = TurnResponseJson(turn).dump();
    std::optional<OutboxEvent> event =
        EscalationFor(turn, session_id, text, session.version + 1, now);
    if (event) record.outbox.push_back(std::move(*event));

    s = store_->CommitTurn(record);
    if (s.ok()) {
      if (metrics_ && turn.crisis) metrics_->CountCrisisTurn(record.crisis);
      if (!record.outbox.empty() && escalation_.committed) escalation_.committed();
      outcome.kind = TurnOutcome::Kind::kAnswered;
      outcome.crisis = record.crisis;
      outcome.response = std::move(record.response_json);
      outcome.turn = std::move(turn);
      return outcome;
    }
    if (s.code() == Status::Code::kNotFound) {  // erased while we answered
      outcome.kind = TurnOutcome::Kind::kNotFound;
      return outcome;
    }
    if (s.code() != Status::Code::kConflict) return StoreFailed(&turn, engine, session_id, text);
    // Someone else committed first: either this very message (a retry that
    // raced us from another server) or another message. Replay or reload.
    if (!client_message_id.empty() && replay(&stored)) {
      outcome.kind = TurnOutcome::Kind::kReplayed;
      outcome.response = std::move(*stored);
      return outcome;
    }
  }
  return StoreFailed(nullptr, engine, session_id, text);
}

std::optional<OutboxEvent> ConversationService::EscalationFor(const Turn& turn,
                                                          const std::string& session_id,
                                                          const std::string& text,
                                                          int64_t version, int64_t now) const {
  if (!escalate_ || !turn.crisis) return std::nullopt;
  CrisisTurnFacts facts;
  facts.session_id = session_id;
  facts.category = CrisisName(turn);
  facts.intent = turn.intent;
  facts.now = now;
  facts.crisis_started_at = turn.state.crisis_started_at.value_or(0);
  facts.turn = version;
  if (escalation_.include_text) facts.text = &text;
  OutboxEvent event;
  if (!BuildEscalationEvent(facts, &event)) return std::nullopt;
  return event;
}

TurnOutcome ConversationService::StoreFailed(const Turn* turn, const Engine& engine,
                                             const std::string& session_id,
                                             const std::string& text) {
  if (metrics_) metrics_->CountStoreError();
  TurnOutcome outcome;
  outcome.kind = TurnOutcome::Kind::kUnavailable;
  // Without the session's state, a fresh one still recognises a crisis.
  Turn fresh;
  if (turn == nullptr) {
    TurnContext context;
    context.now = Now();
    fresh = engine.Respond(SessionState(), text, context);
    turn = &fresh;
  }
  if (MustReachThePerson(*turn)) {
    if (metrics_ && turn->crisis) metrics_->CountCrisisTurn(CrisisName(*turn));
    // The turn is not stored, but a human should still hear of it.
    std::optional<OutboxEvent> event = EscalationFor(*turn, session_id, text, 0, Now());
    if (event && escalation_.not_stored) escalation_.not_stored(std::move(*event));
    outcome.crisis = CrisisName(*turn);
    outcome.response = TurnResponseJson(*turn).dump();
    outcome.turn = *turn;
  }
  return outcome;
}

Status ConversationService::DescribeSession(const std::string& session_id,
                                            nlohmann::json* view) {
  StoredSession session;
  std::vector<TranscriptEntry> transcript;
  Status s = store_->Load(session_id, &session);
  if (s.ok()) s = store_->Transcript(session_id, &transcript);
  if (!s.ok()) {
    if (metrics_ && s.code() != Status::Code::kNotFound) metrics_->CountStoreError();
    return s;
  }
  nlohmann::json stored = nlohmann::json::parse(session.state_json, nullptr, false);
  if (!stored.is_object()) stored = nlohmann::json::object();

  nlohmann::json state = nlohmann::json::object();
  state["turn_count"] = stored.value("turn_count", 0);
  auto crisis = stored.find("crisis_mode");
  state["crisis"] = (crisis != stored.end() && crisis->is_string()) ? *crisis : nullptr;
  // While the person is in crisis mode, the resources of its category, so
  // a client that reloads (the widget) can put them back in reach.
  state["crisis_resources"] = nlohmann::json::array();
  if (state["crisis"].is_string()) {
    std::shared_ptr<const Engine> engine = engines_->Get();
    const Content& content = engine->content();
    std::optional<CrisisCategory> category = ParseCrisisCategory(state["crisis"]);
    auto ids = category ? content.crisis_resources.find(*category) : content.crisis_resources.end();
    if (ids != content.crisis_resources.end()) {
      for (const std::string& id : ids->second) {
        if (const Resource* r = content.FindResource(id)) {
          state["crisis_resources"].push_back(ResourceJson(*r));
        }
      }
    }
  }
  state["crisis_started_at"] = TimeOrNull(stored, "crisis_started_at");
  state["crisis_ended_at"] = TimeOrNull(stored, "crisis_ended_at");
  state["waiting_at"] = nullptr;
  auto stack = stored.find("stack");
  if (stack != stored.end() && stack->is_array() && !stack->empty()) {
    state["waiting_at"] = {{"flow", stack->back().value("flow", "")},
                           {"node", stack->back().value("node", "")}};
  }
  // What the person told the coach about their plan and past lapses is
  // theirs to see.
  for (const char* field : {"plan", "episodes"}) {
    auto it = stored.find(field);
    if (it != stored.end()) state[field] = *it;
  }

  nlohmann::json lines = nlohmann::json::array();
  for (const TranscriptEntry& entry : transcript) {
    nlohmann::json line = {
        {"role", entry.role == TranscriptEntry::Role::kUser ? "user" : "coach"},
        {"text", entry.text},
        {"time", FormatUtc(entry.created_at)}};
    if (entry.role == TranscriptEntry::Role::kUser) {
      line["intent"] = entry.intent;
      line["crisis"] = entry.crisis.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.crisis);
    }
    lines.push_back(std::move(line));
  }
  *view = {{"session_id", session_id},
           {"created_at", FormatUtc(session.created_at)},
           {"updated_at", FormatUtc(session.updated_at)},
           {"state", std::move(state)},
           {"transcript", std::move(lines)}};
  return Status::Ok();
}

Status ConversationService::DeleteSession(const std::string& session_id) {
  SessionLocks::Hold hold = locks_.Acquire(session_id);
  Status s = store_->Erase(session_id);
  if (!s.ok() && s.code() != Status::Code::kNotFound && metrics_) metrics_->CountStoreError();
  return s;
}

}  // namespace steady

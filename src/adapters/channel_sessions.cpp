#include "adapters/channel_sessions.h"

#include <ctime>

#include "adapters/crypto.h"
#include "core/turn_json.h"
#include "store/session_id.h"

namespace steady::adapters {

ChannelSessions::ChannelSessions(ConversationService* conversations, SessionStore* store,
                                 EngineHolder* engines, std::string secret)
    : conversations_(conversations),
      store_(store),
      engines_(engines),
      secret_(std::move(secret)) {}

std::string ChannelSessions::SessionIdFor(std::string_view platform,
                                          std::string_view user_id) const {
  std::string subject(platform);
  subject += ':';
  subject += user_id;
  return Base64Url(HmacSha256(secret_, subject));
}

Status ChannelSessions::LoadState(const std::string& session_id, SessionState* state) {
  StoredSession session;
  Status s = store_->Load(session_id, &session);
  if (!s.ok()) return s;
  return ParseState(session.state_json, state);
}

ChannelTurn ChannelSessions::Answer(const std::string& session_id, bool exists,
                                    const std::string& text,
                                    const std::string& client_message_id) {
  ChannelTurn result;
  // A message that will be refused (too long, not UTF-8) starts nothing.
  TurnOutcome& refused = result.outcome;
  refused.input_error = engine()->CheckInput(text, &refused.error_message);
  if (refused.input_error != InputError::kNone) {
    refused.kind = TurnOutcome::Kind::kRefused;
    return result;
  }
  // Twice at most: the conversation may be erased (or purged) between the
  // start and the message; then it starts again.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!exists) {
      std::string id, opening;
      Status s = conversations_->StartSession(&id, &opening, session_id);
      // kConflict: another server started it meanwhile, which is as good.
      // Anything else: the store is failing, and PostMessage below says so
      // (with the crisis reply when the message is a crisis).
      if (s.ok()) result.started = true;
    }
    result.outcome = conversations_->PostMessage(session_id, text, client_message_id);
    if (result.outcome.kind != TurnOutcome::Kind::kNotFound) return result;
    exists = false;
  }
  return result;
}

Status ChannelSessions::Opening(const std::string& session_id, std::string* response_json) {
  SessionState state;
  Status s = LoadState(session_id, &state);
  if (s.code() == Status::Code::kNotFound) {
    std::string id;
    s = conversations_->StartSession(&id, response_json, session_id);
    if (s.code() != Status::Code::kConflict) return s;
    s = LoadState(session_id, &state);  // started by another server meanwhile
  }
  if (!s.ok()) return s;
  Turn opening = engine()->Start(state.seed);
  *response_json = nlohmann::json{{"messages", MessagesJson(opening.replies)}}.dump();
  return Status::Ok();
}

Status ChannelSessions::Erase(const std::string& session_id) {
  Status s = conversations_->DeleteSession(session_id);
  return s.code() == Status::Code::kNotFound ? Status::Ok() : s;
}

Status ChannelSessions::OptOut(const std::string& session_id) {
  SessionState marker;
  Status s = NewSeed(&marker.seed);
  if (!s.ok()) return s;
  marker.opted_out = true;
  // Not a turn, so not through ConversationService: the marker is written
  // straight to the store, under this user's lock (the caller's).
  for (int attempt = 0; attempt < 2; ++attempt) {
    s = Erase(session_id);
    if (!s.ok()) return s;
    s = store_->Create(session_id, SerializeState(marker), {},
                       static_cast<int64_t>(std::time(nullptr)));
    if (s.code() != Status::Code::kConflict) return s;
    // Another server started a conversation in between: erase that too.
  }
  return s;
}

}  // namespace steady::adapters

// ChannelSessions: one conversation per platform user, on the same
// ConversationService turn as the HTTP API.
//
// A platform user ("sms" and a phone number, "telegram" and a chat id) maps
// to a session id derived with the server secret:
//
//   session id = base64url(HMAC-SHA256(secret, platform + ":" + user id))
//
// 43 URL-safe characters (256 bits), which the store accepts like any
// session id. Only the derived id is stored; the phone number or chat id
// never is, and without the secret the id cannot be turned back into one.
//
// Adapters hold the user's lock (Lock) for the whole webhook, so two
// deliveries for one person (a retry racing the original, STOP racing a
// message) are handled one after the other, in arrival order.
//
// Thread-safe. None of the pointers is owned; all must outlive this.
#ifndef STEADY_ADAPTERS_CHANNEL_SESSIONS_H_
#define STEADY_ADAPTERS_CHANNEL_SESSIONS_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/engine.h"
#include "core/session_state.h"
#include "core/status.h"
#include "server/conversation_service.h"
#include "server/engine_holder.h"
#include "server/session_locks.h"
#include "store/session_store.h"

namespace steady::adapters {

// What answering one message did.
struct ChannelTurn {
  TurnOutcome outcome;
  bool started = false;  // the conversation was started for this message
};

class ChannelSessions {
 public:
  ChannelSessions(ConversationService* conversations, SessionStore* store, EngineHolder* engines,
                  std::string secret);

  // The session id of `user_id` on `platform` ("sms", "telegram").
  std::string SessionIdFor(std::string_view platform, std::string_view user_id) const;

  // Holds `session_id` until the Hold is destroyed.
  SessionLocks::Hold Lock(const std::string& session_id) { return locks_.Acquire(session_id); }

  // The session's state. kNotFound when there is none.
  Status LoadState(const std::string& session_id, SessionState* state);

  // Answers `text` with one turn (ConversationService::PostMessage),
  // starting the conversation first when `exists` is false (or when it
  // turns out to be gone). `client_message_id` is the platform's delivery
  // id, so a retried delivery replays the first reply.
  ChannelTurn Answer(const std::string& session_id, bool exists, const std::string& text,
                     const std::string& client_message_id);

  // The opening of the conversation (the greeting, as JSON text like a
  // turn's), starting it when there is none. Showing it again changes
  // nothing: an existing session's opening is rebuilt from its seed, so
  // it is the same words every time.
  Status Opening(const std::string& session_id, std::string* response_json);

  // Erases the conversation and everything about it. Ok when there was none.
  Status Erase(const std::string& session_id);

  // Erases the conversation and keeps in its place only a marker that the
  // person opted out (SessionState::opted_out): no transcript, nothing they
  // said. Erase() removes the marker again.
  Status OptOut(const std::string& session_id);

  std::shared_ptr<const Engine> engine() const { return engines_->Get(); }

 private:
  ConversationService* const conversations_;
  SessionStore* const store_;
  EngineHolder* const engines_;
  const std::string secret_;
  SessionLocks locks_;
};

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_CHANNEL_SESSIONS_H_

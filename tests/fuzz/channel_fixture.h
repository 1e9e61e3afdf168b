// What the webhook harnesses share: the real adapter stack over the
// shipped content and a SQLite store in a scratch folder, made once:
//
//   SqliteStore -> ConversationService -> ChannelSessions -> adapter
//
// and the crisis promise every channel keeps (DESIGN.md, "Crisis
// routing"): a message that is a crisis is answered with that crisis's
// first resource line before any other words.
#ifndef STEADY_TESTS_FUZZ_CHANNEL_FIXTURE_H_
#define STEADY_TESTS_FUZZ_CHANNEL_FIXTURE_H_

#include <memory>
#include <optional>
#include <string>

#include "adapters/channel_reply.h"
#include "adapters/channel_sessions.h"
#include "fuzz_support.h"
#include "server/conversation_service.h"
#include "server/engine_holder.h"
#include "store/sqlite_store.h"

namespace steady::fuzz {

struct ChannelFixture {
  ChannelFixture() : engines(ShippedEngine()) {
    SqliteStoreOptions options;
    // Nothing here needs erased text scrubbed from disk, and the scrub's
    // checkpoint costs an fsync per erase.
    options.secure_delete = false;
    Status s = SqliteStore::Open((ScratchFolder("channel") / "steady.db").string(), options,
                                 &store);
    FUZZ_CHECK(s.ok(), "the scratch store opens");
    conversations = std::make_unique<ConversationService>(&engines, store.get(), nullptr,
                                                          [] { return int64_t{1795930200}; });
    sessions = std::make_unique<adapters::ChannelSessions>(conversations.get(), store.get(),
                                                           &engines, "fuzz-server-secret-0123456789");
  }

  // The fixture of the process, made on first use.
  static ChannelFixture& Get() {
    // Destroyed at exit before the scratch folder is removed (it was
    // registered with atexit while this was being built).
    static ChannelFixture fixture;
    return fixture;
  }

  const Engine& engine() const { return *engines.Get(); }

  // The crisis `text` is, when the session is in the state `before` (risk
  // is sticky, so questions about means count after risk); nullopt when it
  // is no crisis or would be refused.
  std::optional<CrisisCategory> CrisisOf(const std::string& text, const SessionState& before) {
    if (engine().CheckInput(text, nullptr) != InputError::kNone) return std::nullopt;
    return engine().Classify(text, before.risk_context).crisis;
  }

  // The line a channel must show first for `category`: its first crisis
  // resource, as channel_reply.h renders it.
  std::string FirstCrisisLine(CrisisCategory category) {
    const Content& content = engine().content();
    auto it = content.crisis_resources.find(category);
    FUZZ_CHECK(it != content.crisis_resources.end() && !it->second.empty(),
               "the shipped content has resources for every crisis category");
    std::vector<std::string> lines = adapters::ResourceLines(content, {it->second.front()});
    FUZZ_CHECK(!lines.empty(), "the first crisis resource renders as a line");
    return lines.front();
  }

  std::unique_ptr<SqliteStore> store;
  EngineHolder engines;
  std::unique_ptr<ConversationService> conversations;
  std::unique_ptr<adapters::ChannelSessions> sessions;
};

}  // namespace steady::fuzz

#endif  // STEADY_TESTS_FUZZ_CHANNEL_FIXTURE_H_

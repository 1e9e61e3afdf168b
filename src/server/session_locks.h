// SessionLocks: turns of one session run one after another, in the order
// they arrived; turns of different sessions run in parallel.
//
// A plain mutex would serialize a session but not keep arrival order (a
// later request can win the race for the lock), so each session gets a
// ticket queue: arriving takes the next ticket, and a request proceeds when
// its ticket is called. Queues exist only while someone holds or waits for
// them, so memory follows the number of busy sessions.
//
// This orders turns within one process. Across processes (several servers
// on one database) the store's version check makes a late commit fail and
// retry, so nothing is lost or doubled, though order is then the order of
// commit.
//
// Thread-safe.
#ifndef STEADY_SERVER_SESSION_LOCKS_H_
#define STEADY_SERVER_SESSION_LOCKS_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace steady {

class SessionLocks {
 public:
  class Hold;

  // Waits for this session's earlier arrivals to finish, then holds the
  // session until the returned Hold is destroyed.
  Hold Acquire(const std::string& session_id);

  // Sessions with a holder or waiters (for tests).
  size_t ActiveSessions();

 private:
  struct Queue {
    uint64_t next_ticket = 0;  // handed to the next arrival
    uint64_t serving = 0;      // the ticket allowed to run
    int users = 0;             // holder + waiters; the queue goes at 0
    std::condition_variable turn;
  };

  void Release(const std::string& session_id);

  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Queue>> queues_;
};

class SessionLocks::Hold {
 public:
  Hold(SessionLocks* owner, std::string session_id)
      : owner_(owner), session_id_(std::move(session_id)) {}
  Hold(Hold&& other) noexcept : owner_(other.owner_), session_id_(std::move(other.session_id_)) {
    other.owner_ = nullptr;
  }
  Hold(const Hold&) = delete;
  Hold& operator=(const Hold&) = delete;
  Hold& operator=(Hold&&) = delete;
  ~Hold() {
    if (owner_ != nullptr) owner_->Release(session_id_);
  }

 private:
  SessionLocks* owner_;
  std::string session_id_;
};

}  // namespace steady

#endif  // STEADY_SERVER_SESSION_LOCKS_H_

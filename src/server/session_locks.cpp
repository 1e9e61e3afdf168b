#include "server/session_locks.h"

namespace steady {

SessionLocks::Hold SessionLocks::Acquire(const std::string& session_id) {
  std::unique_lock<std::mutex> lock(mu_);
  std::unique_ptr<Queue>& slot = queues_[session_id];
  if (!slot) slot = std::make_unique<Queue>();
  Queue* queue = slot.get();  // stable: the queue outlives our use (users > 0)
  const uint64_t ticket = queue->next_ticket++;
  ++queue->users;
  queue->turn.wait(lock, [&] { return queue->serving == ticket; });
  return Hold(this, session_id);
}

void SessionLocks::Release(const std::string& session_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = queues_.find(session_id);
  if (it == queues_.end()) return;
  Queue* queue = it->second.get();
  ++queue->serving;
  if (--queue->users == 0) {
    queues_.erase(it);
  } else {
    queue->turn.notify_all();
  }
}

size_t SessionLocks::ActiveSessions() {
  std::lock_guard<std::mutex> lock(mu_);
  return queues_.size();
}

}  // namespace steady

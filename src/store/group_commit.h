// GroupCommit: many threads' writes, committed together in one transaction.
//
//   GroupCommit<TurnRecord> queue(/*max_batch=*/64);
//   Status s = queue.Submit(record, [&](const std::vector<const TurnRecord*>& batch,
//                                       std::vector<Status>* results) {
//     // BEGIN; apply each; COMMIT; results->at(i) = what happened to batch[i]
//   });
//
// Why: with SQLite, a commit costs about the same for one turn as for fifty
// (the same B-tree pages are appended to the WAL once, the file lock is
// taken once), and only one connection may write at a time. So when turns
// of many sessions arrive together, one writer commits them all in one
// transaction, and each caller is answered only after that commit: the
// same durability as one transaction each, for a fraction of the cost.
//
// How (the leader/follower queue LevelDB's DBImpl::Write uses): a caller
// joins the queue; the caller at the front is the leader. It takes every
// queued item (up to max_batch), runs the batch without holding the queue
// lock, hands each follower its result and wakes the new front. Items that
// arrive while a batch runs wait for the next one, so under light load a
// batch is one item and costs no extra latency; under heavy load batches
// grow by themselves.
//
// Thread-safe. `run` is called by one thread at a time, never concurrently.
// Items are committed in the order they joined the queue.
#ifndef STEADY_STORE_GROUP_COMMIT_H_
#define STEADY_STORE_GROUP_COMMIT_H_

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "core/status.h"

namespace steady {

template <typename Item>
class GroupCommit {
 public:
  // `run` must set results->at(i) for every batch[i]; results arrive sized
  // like the batch, each preset to an internal error.
  using RunBatch =
      std::function<void(const std::vector<const Item*>& batch, std::vector<Status>* results)>;

  // REQUIRES: max_batch >= 1.
  explicit GroupCommit(size_t max_batch) : max_batch_(std::max<size_t>(1, max_batch)) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `item` in some batch (maybe led by another thread's `run`) and
  // returns its result. `item` must stay valid until Submit returns.
  Status Submit(const Item& item, const RunBatch& run) {
    Waiter self(&item);
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(&self);
    while (!self.done && queue_.front() != &self) self.wake.wait(lock);
    if (self.done) return self.result;

    // The leader: everything queued so far, up to max_batch.
    const size_t n = std::min(queue_.size(), max_batch_);
    std::vector<Waiter*> waiters(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();

    std::vector<const Item*> batch;
    batch.reserve(n);
    for (Waiter* w : waiters) batch.push_back(w->item);
    std::vector<Status> results(n, Status::Internal("group commit: the batch set no result"));
    try {
      run(batch, &results);
    } catch (...) {
      // A follower must never wait forever: everyone in the batch hears
      // of the failure, none of a success.
      std::fill(results.begin(), results.end(),
                Status::Internal("group commit: the batch failed unexpectedly"));
    }

    lock.lock();
    for (size_t i = 0; i < n; ++i) {
      queue_.pop_front();
      waiters[i]->result = std::move(results[i]);
      waiters[i]->done = true;
      if (waiters[i] != &self) waiters[i]->wake.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next leader
    return self.result;
  }

  // How many callers are in the queue, the running batch's included.
  size_t waiting() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.size();
  }

 private:
  struct Waiter {
    explicit Waiter(const Item* i) : item(i) {}
    const Item* item;
    Status result;
    bool done = false;
    std::condition_variable wake;
  };

  const size_t max_batch_;
  mutable std::mutex mu_;
  std::deque<Waiter*> queue_;  // front: the leader, or the next one
};

}  // namespace steady

#endif  // STEADY_STORE_GROUP_COMMIT_H_

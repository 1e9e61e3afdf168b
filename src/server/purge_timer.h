// PurgeTimer: transcripts expire. Runs SessionStore::PurgeOlderThan on a
// background thread, once at start and then every interval, removing
// sessions untouched for `retention_days`. Stops (and joins) on
// destruction or Stop(). Thread-safe.
#ifndef STEADY_SERVER_PURGE_TIMER_H_
#define STEADY_SERVER_PURGE_TIMER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "server/metrics.h"
#include "store/session_store.h"

namespace steady {

class PurgeTimer {
 public:
  // `store` and `metrics` (may be null) are not owned and must outlive it.
  PurgeTimer(SessionStore* store, Metrics* metrics, int retention_days, int interval_seconds);
  ~PurgeTimer();
  PurgeTimer(const PurgeTimer&) = delete;
  PurgeTimer& operator=(const PurgeTimer&) = delete;

  void Stop();

 private:
  void Run();

  SessionStore* const store_;
  Metrics* const metrics_;
  const int retention_days_;
  const int interval_seconds_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace steady

#endif  // STEADY_SERVER_PURGE_TIMER_H_

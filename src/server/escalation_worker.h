// EscalationWorker: delivers the store's outbox to the operator's receiver.
//
//   EscalationWorker worker(store, options, &metrics);
//   worker.Start();   // a background thread
//   ...               // turns add events; Wake() makes it look at once
//   worker.Stop();    // waits for an attempt in flight (at most timeout_seconds)
//
// Delivery is at least once: an event is removed only after the receiver
// answered 2xx; any other answer, a timeout or a refused connection
// reschedules it with exponential backoff and jitter, and an event leased
// by a process that died is taken again when its lease runs out. Several
// processes on one database share the outbox; each event is leased to one
// of them at a time. Receivers de-duplicate by event id.
//
// Events that happened while the store was failing (the turn could not be
// saved, but the person was in danger) are kept in memory and moved into
// the outbox as soon as the store answers again; if the process ends
// first they are lost, and the log says so.
//
// Thread-safe: Wake() and Remember() may be called from any thread.
#ifndef STEADY_SERVER_ESCALATION_WORKER_H_
#define STEADY_SERVER_ESCALATION_WORKER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "server/escalation_options.h"
#include "server/metrics.h"
#include "store/session_store.h"

namespace steady {

class EscalationWorker {
 public:
  using Log = std::function<void(const std::string& event, const std::string& detail)>;

  // `store` and `metrics` (may be null) must outlive the worker. `log`
  // receives operational events (never payloads); may be empty.
  // REQUIRES: options.enabled() and options.url parses (ParseHttpUrl).
  EscalationWorker(SessionStore* store, const EscalationOptions& options, Metrics* metrics,
                   Log log = nullptr);
  ~EscalationWorker();  // Stop()s
  EscalationWorker(const EscalationWorker&) = delete;
  EscalationWorker& operator=(const EscalationWorker&) = delete;

  void Start();
  void Stop();

  // Look at the outbox now (a turn just added an event).
  void Wake();

  // Keeps an event whose turn could not be stored, to add it to the outbox
  // when the store recovers. Bounded: beyond 10,000 the oldest are dropped
  // (and logged).
  void Remember(OutboxEvent event);

  // How long to wait before attempt number `attempts` + 1, given `attempts`
  // failures so far: initial * 2^(attempts-1), capped, times a jitter
  // factor in [0.5, 1]. Milliseconds. Public for tests.
  static int64_t BackoffMs(const EscalationOptions& options, int attempts, double jitter);

 private:
  void Run();
  // One pass: move remembered events into the store, then deliver what is
  // due. Returns true when it did something (so the loop looks again).
  bool Pass();
  bool Deliver(const OutboxEvent& event, std::string* failure);
  int64_t NowMs() const;

  SessionStore* const store_;
  const EscalationOptions options_;
  Metrics* const metrics_;
  const Log log_;
  HttpUrl url_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool woken_ = false;
  std::deque<OutboxEvent> remembered_;  // guarded by mu_
  std::mt19937_64 jitter_rng_;          // worker thread only
  std::thread thread_;
};

}  // namespace steady

#endif  // STEADY_SERVER_ESCALATION_WORKER_H_

// Metrics: what /metrics shows, in Prometheus text format (version 0.0.4).
//
//   steady_http_requests_total{method,route,status}  requests answered
//   steady_turn_duration_seconds                     histogram of message turns
//   steady_crisis_turns_total{category}              turns in a crisis category
//   steady_sessions_created_total
//   steady_store_errors_total                        store calls that failed
//   steady_rate_limited_total{scope}                 429s by session / address
//   steady_content_reloads_total{result}             SIGHUP reloads: ok / refused
//   steady_escalation_attempts_total{result}         deliveries: delivered / failed
//   steady_escalations_pending                       outbox events not yet delivered
//   steady_escalations_failing                       ... of which at least one attempt failed
//   steady_escalation_oldest_pending_seconds         age of the oldest undelivered event
//
// The outbox gauges are read from the store at each scrape (with several
// servers on one database they are the same everywhere); they appear only
// when escalation is on.
//
// Labels are route templates ("/v1/sessions/{id}"), never raw paths, so
// the number of series stays bounded and no session id is exposed.
// Thread-safe.
#ifndef STEADY_SERVER_METRICS_H_
#define STEADY_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "store/session_store.h"

namespace steady {

class Metrics {
 public:
  void CountRequest(const std::string& method, const std::string& route, int status);
  void ObserveTurn(double seconds);
  void CountCrisisTurn(const std::string& category);
  void CountSessionCreated() { sessions_created_.fetch_add(1, std::memory_order_relaxed); }
  void CountStoreError() { store_errors_.fetch_add(1, std::memory_order_relaxed); }
  void CountRateLimited(const std::string& scope);
  void CountReload(bool ok);
  void CountEscalationAttempt(bool delivered);

  // Where Render() reads the outbox gauges; returns false when the store
  // could not be read (the gauges are then left out). Set before serving.
  void SetOutboxProbe(std::function<bool(OutboxStats*)> probe) { outbox_probe_ = std::move(probe); }

  // The whole exposition, ready to serve.
  std::string Render() const;

 private:
  // Upper bounds of the turn histogram, in seconds: 100 µs to 1 s.
  static constexpr std::array<double, 12> kTurnBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kTurnBuckets.size()> turn_buckets_{};
  uint64_t turn_count_ = 0;
  double turn_sum_ = 0;
  std::map<std::string, uint64_t> crisis_turns_;
  std::map<std::string, uint64_t> rate_limited_;
  uint64_t reloads_ok_ = 0;
  uint64_t reloads_refused_ = 0;
  std::atomic<uint64_t> sessions_created_{0};
  std::atomic<uint64_t> store_errors_{0};
  std::atomic<uint64_t> escalations_delivered_{0};
  std::atomic<uint64_t> escalation_failures_{0};
  std::function<bool(OutboxStats*)> outbox_probe_;
};

}  // namespace steady

#endif  // STEADY_SERVER_METRICS_H_

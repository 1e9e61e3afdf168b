#include "server/metrics.h"

#include <ctime>
#include <sstream>

namespace steady {

void Metrics::CountRequest(const std::string& method, const std::string& route, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
}

void Metrics::ObserveTurn(double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < kTurnBuckets.size(); ++i) {
    if (seconds <= kTurnBuckets[i]) ++turn_buckets_[i];
  }
  ++turn_count_;
  turn_sum_ += seconds;
}

void Metrics::CountCrisisTurn(const std::string& category) {
  std::lock_guard<std::mutex> lock(mu_);
  ++crisis_turns_[category];
}

void Metrics::CountRateLimited(const std::string& scope) {
  std::lock_guard<std::mutex> lock(mu_);
  ++rate_limited_[scope];
}

void Metrics::CountReload(bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  ++(ok ? reloads_ok_ : reloads_refused_);
}

void Metrics::CountEscalationAttempt(bool delivered) {
  (delivered ? escalations_delivered_ : escalation_failures_).fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::ostringstream out;
  // Read the store before taking mu_: the probe may wait on the database.
  OutboxStats outbox;
  const bool have_outbox = outbox_probe_ && outbox_probe_(&outbox);
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP steady_http_requests_total HTTP requests answered, by route and status.\n"
      << "# TYPE steady_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out << "steady_http_requests_total{method=\"" << method << "\",route=\"" << route
        << "\",status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP steady_turn_duration_seconds Time to answer a message, from request to reply.\n"
      << "# TYPE steady_turn_duration_seconds histogram\n";
  for (size_t i = 0; i < kTurnBuckets.size(); ++i) {
    out << "steady_turn_duration_seconds_bucket{le=\"" << kTurnBuckets[i] << "\"} "
        << turn_buckets_[i] << "\n";
  }
  out << "steady_turn_duration_seconds_bucket{le=\"+Inf\"} " << turn_count_ << "\n"
      << "steady_turn_duration_seconds_sum " << turn_sum_ << "\n"
      << "steady_turn_duration_seconds_count " << turn_count_ << "\n";
  out << "# HELP steady_crisis_turns_total Turns answered in a crisis category.\n"
      << "# TYPE steady_crisis_turns_total counter\n";
  for (const auto& [category, count] : crisis_turns_) {
    out << "steady_crisis_turns_total{category=\"" << category << "\"} " << count << "\n";
  }
  out << "# HELP steady_sessions_created_total Conversations started.\n"
      << "# TYPE steady_sessions_created_total counter\n"
      << "steady_sessions_created_total " << sessions_created_.load() << "\n";
  out << "# HELP steady_store_errors_total Store operations that failed.\n"
      << "# TYPE steady_store_errors_total counter\n"
      << "steady_store_errors_total " << store_errors_.load() << "\n";
  out << "# HELP steady_rate_limited_total Requests refused with 429, by limit.\n"
      << "# TYPE steady_rate_limited_total counter\n";
  for (const auto& [scope, count] : rate_limited_) {
    out << "steady_rate_limited_total{scope=\"" << scope << "\"} " << count << "\n";
  }
  out << "# HELP steady_content_reloads_total Content reloads on SIGHUP, by result.\n"
      << "# TYPE steady_content_reloads_total counter\n"
      << "steady_content_reloads_total{result=\"ok\"} " << reloads_ok_ << "\n"
      << "steady_content_reloads_total{result=\"refused\"} " << reloads_refused_ << "\n";
  if (outbox_probe_) {
    out << "# HELP steady_escalation_attempts_total Escalation deliveries tried, by result.\n"
        << "# TYPE steady_escalation_attempts_total counter\n"
        << "steady_escalation_attempts_total{result=\"delivered\"} "
        << escalations_delivered_.load() << "\n"
        << "steady_escalation_attempts_total{result=\"failed\"} " << escalation_failures_.load()
        << "\n";
  }
  if (have_outbox) {
    const int64_t now_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
    const double oldest =
        outbox.oldest_created_ms > 0 && now_ms > outbox.oldest_created_ms
            ? (now_ms - outbox.oldest_created_ms) / 1000.0
            : 0.0;
    out << "# HELP steady_escalations_pending Escalation events waiting to be delivered.\n"
        << "# TYPE steady_escalations_pending gauge\n"
        << "steady_escalations_pending " << outbox.pending << "\n"
        << "# HELP steady_escalations_failing Waiting escalation events whose delivery failed at "
           "least once.\n"
        << "# TYPE steady_escalations_failing gauge\n"
        << "steady_escalations_failing " << outbox.failing << "\n"
        << "# HELP steady_escalation_oldest_pending_seconds Age of the oldest waiting escalation "
           "event.\n"
        << "# TYPE steady_escalation_oldest_pending_seconds gauge\n"
        << "steady_escalation_oldest_pending_seconds " << oldest << "\n";
  }
  return out.str();
}

}  // namespace steady

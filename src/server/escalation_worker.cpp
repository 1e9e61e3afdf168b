#include "server/escalation_worker.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "server/escalation_event.h"

namespace steady {
namespace {

// Events leased per pass. A pass sends them one after the other, so the
// lease must outlast that many attempts that each run to the timeout.
constexpr int kBatch = 8;
// Remembered events beyond this are dropped, oldest first: memory is
// bounded even if the store stays down for days under a flood.
constexpr size_t kMaxRemembered = 10000;
// Without a Wake(), the worker looks at the outbox this often (events of
// other processes, and retries coming due).
constexpr auto kPollInterval = std::chrono::seconds(1);

}  // namespace

EscalationWorker::EscalationWorker(SessionStore* store, const EscalationOptions& options,
                                   Metrics* metrics, Log log)
    : store_(store),
      options_(options),
      metrics_(metrics),
      log_(std::move(log)),
      jitter_rng_(std::random_device{}()) {
  std::string ignored;
  ParseHttpUrl(options_.url, &url_, &ignored);
}

EscalationWorker::~EscalationWorker() { Stop(); }

void EscalationWorker::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void EscalationWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (!remembered_.empty() && log_) {
    log_("escalation_lost", std::to_string(remembered_.size()) +
                                " event(s) of turns that could not be stored were never sent");
  }
}

void EscalationWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

void EscalationWorker::Remember(OutboxEvent event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (remembered_.size() >= kMaxRemembered) {
      remembered_.pop_front();
      if (log_) log_("escalation_dropped", "too many events waiting for the store");
    }
    remembered_.push_back(std::move(event));
    woken_ = true;
  }
  wake_.notify_all();
}

int64_t EscalationWorker::BackoffMs(const EscalationOptions& options, int attempts,
                                    double jitter) {
  const double initial = options.initial_backoff_seconds * 1000.0;
  const double cap = options.max_backoff_seconds * 1000.0;
  const int doublings = std::clamp(attempts - 1, 0, 40);
  const double delay = std::min(cap, initial * std::ldexp(1.0, doublings));
  return static_cast<int64_t>(delay * std::clamp(jitter, 0.5, 1.0));
}

int64_t EscalationWorker::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void EscalationWorker::Run() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      woken_ = false;
    }
    const bool busy = Pass();
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) return;
    if (!busy) wake_.wait_for(lock, kPollInterval, [this] { return stop_ || woken_; });
  }
}

bool EscalationWorker::Pass() {
  bool did_something = false;

  // Events of turns that could not be stored: into the outbox, once the
  // store takes them.
  std::deque<OutboxEvent> waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    waiting.swap(remembered_);
  }
  while (!waiting.empty()) {
    if (!store_->AddOutboxEvent(waiting.front()).ok()) break;
    waiting.pop_front();
    did_something = true;
  }
  if (!waiting.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    // Put the unstored ones back in front of any that arrived meanwhile.
    for (auto it = waiting.rbegin(); it != waiting.rend(); ++it) remembered_.push_front(*it);
  }

  const int64_t lease_ms = (kBatch * options_.timeout_seconds + 30) * 1000LL;
  std::vector<OutboxEvent> due;
  Status s = store_->ClaimOutboxEvents(NowMs(), lease_ms, kBatch, &due);
  if (!s.ok()) {
    if (metrics_) metrics_->CountStoreError();
    return false;
  }
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  for (const OutboxEvent& event : due) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) break;  // the lease runs out and another pass sends it
    }
    std::string failure;
    if (Deliver(event, &failure)) {
      if (metrics_) metrics_->CountEscalationAttempt(true);
      if (!store_->CompleteOutboxEvent(event.id).ok() && metrics_) metrics_->CountStoreError();
    } else {
      if (metrics_) metrics_->CountEscalationAttempt(false);
      const int attempts = event.attempts + 1;
      const int64_t next = NowMs() + BackoffMs(options_, attempts, jitter(jitter_rng_));
      if (!store_->RetryOutboxEvent(event.id, next).ok() && metrics_) metrics_->CountStoreError();
      if (log_) {
        log_("escalation_retry", failure + "; attempt " + std::to_string(attempts) +
                                     ", next in " + std::to_string((next - NowMs()) / 1000) +
                                     " s");
      }
    }
    did_something = true;
  }
  return did_something && due.size() == static_cast<size_t>(kBatch);
}

bool EscalationWorker::Deliver(const OutboxEvent& event, std::string* failure) {
  httplib::Client client(url_.origin);
  client.set_connection_timeout(options_.timeout_seconds, 0);
  client.set_read_timeout(options_.timeout_seconds, 0);
  client.set_write_timeout(options_.timeout_seconds, 0);
  client.set_follow_location(false);  // a redirect is a misconfiguration, not a delivery
  const std::string timestamp = std::to_string(NowMs() / 1000);
  httplib::Headers headers = {
      {"User-Agent", "steady-escalation/1"},
      {"X-Steady-Event-Id", event.id},
      {"X-Steady-Timestamp", timestamp},
      {"X-Steady-Signature", SignEscalation(options_.secret, timestamp, event.payload_json)},
  };
  httplib::Result result = client.Post(url_.path, headers, event.payload_json, "application/json");
  if (!result) {
    *failure = "no answer: " + httplib::to_string(result.error());
    return false;
  }
  if (result->status < 200 || result->status > 299) {
    *failure = "HTTP " + std::to_string(result->status);
    return false;
  }
  return true;
}

}  // namespace steady

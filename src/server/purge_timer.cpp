#include "server/purge_timer.h"

#include <chrono>
#include <ctime>

namespace steady {

PurgeTimer::PurgeTimer(SessionStore* store, Metrics* metrics, int retention_days,
                       int interval_seconds)
    : store_(store),
      metrics_(metrics),
      retention_days_(retention_days),
      interval_seconds_(interval_seconds < 1 ? 1 : interval_seconds),
      thread_([this] { Run(); }) {}

PurgeTimer::~PurgeTimer() { Stop(); }

void PurgeTimer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PurgeTimer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const int64_t cutoff =
        static_cast<int64_t>(std::time(nullptr)) - static_cast<int64_t>(retention_days_) * 86400;
    int64_t removed = 0;
    if (!store_->PurgeOlderThan(cutoff, &removed).ok() && metrics_) metrics_->CountStoreError();
    lock.lock();
    wake_.wait_for(lock, std::chrono::seconds(interval_seconds_), [this] { return stopping_; });
  }
}

}  // namespace steady

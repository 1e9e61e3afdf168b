#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace steady {

RateLimiter::RateLimiter(RateLimit limit, size_t max_keys, Clock clock)
    : limit_{limit.per_minute, std::max(1.0, limit.burst)},
      max_keys_per_shard_(std::max<size_t>(1, max_keys / kShards)),
      clock_(std::move(clock)) {}

void RateLimiter::Refill(Bucket* bucket, std::chrono::steady_clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - bucket->updated).count();
  if (seconds > 0) {
    bucket->tokens = std::min(limit_.burst, bucket->tokens + seconds * limit_.per_minute / 60.0);
    bucket->updated = now;
  }
}

void RateLimiter::DropFullBuckets(Shard* shard, std::chrono::steady_clock::time_point now) {
  for (auto it = shard->buckets.begin(); it != shard->buckets.end();) {
    Refill(&it->second, now);
    if (it->second.tokens >= limit_.burst) {
      it = shard->buckets.erase(it);
    } else {
      ++it;
    }
  }
}

int RateLimiter::Take(const std::string& key) {
  if (!enabled()) return 0;
  Shard& shard = shards_[std::hash<std::string>()(key) % kShards];
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (++shard.new_keys_since_sweep >= shard.sweep_after) {
      DropFullBuckets(&shard, now);
      shard.new_keys_since_sweep = 0;
      shard.sweep_after = std::max<size_t>(64, shard.buckets.size());
    }
    if (shard.buckets.size() >= max_keys_per_shard_) {
      if (now - shard.last_sweep_at_bound >= std::chrono::seconds(1)) {
        DropFullBuckets(&shard, now);
        shard.last_sweep_at_bound = now;
      }
      if (shard.buckets.size() >= max_keys_per_shard_) return 0;
    }
    it = shard.buckets.emplace(key, Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  Refill(&bucket, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  const double wait = (1.0 - bucket.tokens) * 60.0 / limit_.per_minute;
  return std::max(1, static_cast<int>(std::ceil(wait)));
}

size_t RateLimiter::keys() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.buckets.size();
  }
  return n;
}

}  // namespace steady

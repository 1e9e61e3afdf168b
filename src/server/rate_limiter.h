// RateLimiter: one token bucket per key (a session id, a client address).
//
// Each key's bucket starts full with `burst` tokens and refills at
// `per_minute` / 60 tokens a second. A request takes one token; with none
// left it is refused and told how long until one is back.
//
// Memory is bounded: at most `max_keys` buckets are kept; when a new key
// arrives at the bound, buckets that have refilled completely (they would
// behave exactly like a new one) are dropped first, and if none has, the
// new key is let through unmetered rather than evicting someone mid-limit.
//
// Thread-safe: keys are spread over shards, each with its own mutex.
#ifndef STEADY_SERVER_RATE_LIMITER_H_
#define STEADY_SERVER_RATE_LIMITER_H_

#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/server_options.h"

namespace steady {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `limit.per_minute` == 0 disables the limiter (Take always succeeds).
  explicit RateLimiter(RateLimit limit, size_t max_keys = 100000,
                       Clock clock = std::chrono::steady_clock::now);

  // Takes a token for `key`. Returns 0 when allowed, else the whole
  // seconds (at least 1) to wait before a token is available.
  int Take(const std::string& key);

  bool enabled() const { return limit_.per_minute > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr size_t kShards = 16;

  void Refill(Bucket* bucket, std::chrono::steady_clock::time_point now) const;
  void DropFullBuckets(Shard* shard, std::chrono::steady_clock::time_point now);

  const RateLimit limit_;
  const size_t max_keys_per_shard_;
  const Clock clock_;
  std::array<Shard, kShards> shards_;
};

}  // namespace steady

#endif  // STEADY_SERVER_RATE_LIMITER_H_

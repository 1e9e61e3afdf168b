// RateLimiter: one token bucket per key (a session id, a client address).
//
// Each key's bucket starts full with `burst` tokens and refills at
// `per_minute` / 60 tokens a second. A request takes one token; with none
// left it is refused and told how long until one is back.
//
// Memory follows the keys active lately, not every key ever seen: a bucket
// that has refilled completely behaves exactly like a new one, so such
// buckets are swept out now and then (after as many new keys as the shard
// holds, so the sweep costs O(1) a request on average). It is also bounded:
// at most `max_keys` buckets are kept; at the bound, a new key triggers a
// sweep (at most once a second per shard, so a flood of new keys does not
// scan on every request), and if none has refilled, the new key is let
// through unmetered rather than evicting someone mid-limit.
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

  // How many buckets are kept now.
  size_t keys() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
    size_t new_keys_since_sweep = 0;
    size_t sweep_after = 64;  // new keys: as many as the shard kept at its last sweep
    std::chrono::steady_clock::time_point last_sweep_at_bound{};
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

#include "server/rate_limiter.h"

#include <catch2/catch.hpp>

namespace steady {
namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point now{};
  void Advance(double seconds) {
    now += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(seconds));
  }
};

}  // namespace

TEST_CASE("a burst is allowed, then one request per refill interval", "[server][rate]") {
  FakeClock clock;
  RateLimiter limiter({60, 3}, 1000, [&] { return clock.now; });  // 1 a second, burst 3
  CHECK(limiter.Take("s") == 0);
  CHECK(limiter.Take("s") == 0);
  CHECK(limiter.Take("s") == 0);
  CHECK(limiter.Take("s") == 1);  // wait a second
  clock.Advance(1.0);
  CHECK(limiter.Take("s") == 0);
  CHECK(limiter.Take("s") == 1);
  CHECK(limiter.Take("other") == 0);  // keys are independent
}

TEST_CASE("Retry-After is the whole seconds until a token is back", "[server][rate]") {
  FakeClock clock;
  RateLimiter limiter({6, 1}, 1000, [&] { return clock.now; });  // one per 10 s
  CHECK(limiter.Take("s") == 0);
  CHECK(limiter.Take("s") == 10);
  clock.Advance(7.5);
  CHECK(limiter.Take("s") == 3);
}

TEST_CASE("a rate of zero turns the limit off", "[server][rate]") {
  RateLimiter limiter({0, 0});
  for (int i = 0; i < 1000; ++i) REQUIRE(limiter.Take("s") == 0);
}

TEST_CASE("memory stays bounded: idle keys are dropped, busy ones kept", "[server][rate]") {
  FakeClock clock;
  // 16 shards, so 32 keys in all is 2 a shard.
  RateLimiter limiter({60, 1}, 32, [&] { return clock.now; });
  for (int i = 0; i < 1000; ++i) limiter.Take("key" + std::to_string(i));
  // A key that was limited a moment ago is still limited if it was kept,
  // and never wrongly limited if it was dropped: a new key is always let in.
  CHECK(limiter.Take("fresh-key") == 0);
  clock.Advance(5.0);  // every bucket refills and may be dropped
  for (int i = 0; i < 1000; ++i) CHECK(limiter.Take("again" + std::to_string(i)) == 0);
}

TEST_CASE("buckets of keys gone quiet are swept out as new keys come", "[server][rate]") {
  FakeClock clock;
  RateLimiter limiter({60, 20}, 100000, [&] { return clock.now; });
  for (int i = 0; i < 10000; ++i) REQUIRE(limiter.Take("old" + std::to_string(i)) == 0);
  CHECK(limiter.keys() == 10000);
  clock.Advance(60.0);  // every old bucket is full again: like a new one
  // A shard sweeps after as many new keys as it kept at its last sweep
  // (at most its ~625 old keys here), so 24,000 new ones (~1,500 a shard)
  // sweep every shard at least once.
  for (int i = 0; i < 24000; ++i) REQUIRE(limiter.Take("new" + std::to_string(i)) == 0);
  CHECK(limiter.keys() == 24000);  // only the new keys: every old bucket was full
  // A busy key keeps its bucket through a sweep: still limited.
  for (int i = 0; i < 20; ++i) REQUIRE(limiter.Take("busy") == 0);
  CHECK(limiter.Take("busy") > 0);
  for (int i = 0; i < 20000; ++i) limiter.Take("more" + std::to_string(i));
  CHECK(limiter.Take("busy") > 0);
}

}  // namespace steady

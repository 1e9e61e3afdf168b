#include "server/session_locks.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

namespace steady {

TEST_CASE("turns of one session run one at a time, in arrival order", "[server][locks]") {
  SessionLocks locks;
  std::vector<int> order;
  std::mutex order_mu;
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};

  std::vector<std::thread> threads;
  {
    SessionLocks::Hold first = locks.Acquire("s");  // everyone queues behind this
    for (int i = 0; i < 8; ++i) {
      threads.emplace_back([&, i] {
        SessionLocks::Hold hold = locks.Acquire("s");
        int now = ++inside;
        max_inside = std::max(max_inside.load(), now);
        {
          std::lock_guard<std::mutex> lock(order_mu);
          order.push_back(i);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --inside;
      });
      // Arrivals spaced out so their order is known.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  for (std::thread& t : threads) t.join();
  CHECK(max_inside == 1);
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(locks.ActiveSessions() == 0);  // nothing left behind
}

TEST_CASE("different sessions do not wait for each other", "[server][locks]") {
  SessionLocks locks;
  SessionLocks::Hold a = locks.Acquire("a");
  std::atomic<bool> got_b{false};
  std::thread other([&] {
    SessionLocks::Hold b = locks.Acquire("b");
    got_b = true;
  });
  other.join();  // would hang if "b" waited for "a"
  CHECK(got_b);
  CHECK(locks.ActiveSessions() == 1);
}

}  // namespace steady

// GroupCommit: turns that arrive while a batch commits go together into the
// next one, each caller hears its own result, and order is kept.
#include "store/group_commit.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace steady {
namespace {

TEST_CASE("group commit: callers that queue behind a running batch share the next one",
          "[store][group_commit]") {
  GroupCommit<int> queue(64);
  std::mutex mu;
  std::condition_variable cv;
  bool first_may_finish = false;
  std::vector<std::vector<int>> batches;  // what each run saw, in order

  // Odd items are refused, even ones succeed: each caller must get its own.
  auto run = [&](const std::vector<const int*>& batch, std::vector<Status>* results) {
    std::unique_lock<std::mutex> lock(mu);
    std::vector<int> items;
    for (const int* item : batch) items.push_back(*item);
    batches.push_back(items);
    if (items == std::vector<int>{0}) cv.wait(lock, [&] { return first_may_finish; });
    for (size_t i = 0; i < batch.size(); ++i) {
      (*results)[i] = *batch[i] % 2 ? Status::Conflict(std::to_string(*batch[i])) : Status::Ok();
    }
  };

  std::vector<Status> got(6);
  std::vector<int> items = {0, 1, 2, 3, 4, 5};
  std::vector<std::thread> threads;
  threads.emplace_back([&] { got[0] = queue.Submit(items[0], run); });
  // Wait until item 0 is being committed, then queue the others behind it.
  for (;;) {
    std::lock_guard<std::mutex> lock(mu);
    if (!batches.empty()) break;
  }
  for (int i = 1; i < 6; ++i) {
    threads.emplace_back([&, i] { got[i] = queue.Submit(items[i], run); });
    // In order: each joins the queue before the next starts.
    while (queue.waiting() < static_cast<size_t>(i) + 1) std::this_thread::yield();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    first_may_finish = true;
  }
  cv.notify_all();
  for (std::thread& t : threads) t.join();

  REQUIRE(batches.size() == 2);
  CHECK(batches[0] == std::vector<int>{0});
  CHECK(batches[1] == std::vector<int>{1, 2, 3, 4, 5});
  for (int i = 0; i < 6; ++i) {
    INFO(i);
    if (i % 2) {
      CHECK(got[i].code() == Status::Code::kConflict);
      CHECK(got[i].message() == std::to_string(i));
    } else {
      CHECK(got[i].ok());
    }
  }
}

TEST_CASE("group commit: a batch is never bigger than its limit, and every caller returns",
          "[store][group_commit]") {
  GroupCommit<int> queue(3);
  std::atomic<int> largest{0};
  std::atomic<int> runs_at_once{0};
  std::atomic<bool> overlapped{false};
  auto run = [&](const std::vector<const int*>& batch, std::vector<Status>* results) {
    if (++runs_at_once > 1) overlapped = true;
    int n = static_cast<int>(batch.size());
    int seen = largest.load();
    while (n > seen && !largest.compare_exchange_weak(seen, n)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    for (Status& r : *results) r = Status::Ok();
    --runs_at_once;
  };
  constexpr int kThreads = 16;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        int item = t * 1000 + i;
        if (queue.Submit(item, run).ok()) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(ok == kThreads * 50);
  CHECK(largest <= 3);
  CHECK_FALSE(overlapped);  // one batch at a time: the connection is not shared
}

TEST_CASE("group commit: a batch that throws fails its callers instead of stranding them",
          "[store][group_commit]") {
  GroupCommit<int> queue(8);
  int item = 7;
  Status s = queue.Submit(item, [](const std::vector<const int*>&, std::vector<Status>*) {
    throw std::runtime_error("boom");
  });
  CHECK(s.code() == Status::Code::kInternal);
  // The queue still works afterwards.
  CHECK(queue.Submit(item, [](const std::vector<const int*>&, std::vector<Status>* r) {
                 (*r)[0] = Status::Ok();
               }).ok());
}

}  // namespace
}  // namespace steady

// EngineHolder: the engine currently serving, swappable while requests run.
//
// A request takes a reference with Get() and keeps it for its whole turn,
// so a reload (SIGHUP) never changes content under a turn in progress; the
// old engine is freed when its last turn finishes. Thread-safe.
#ifndef STEADY_SERVER_ENGINE_HOLDER_H_
#define STEADY_SERVER_ENGINE_HOLDER_H_

#include <memory>
#include <mutex>

#include "core/engine.h"

namespace steady {

class EngineHolder {
 public:
  explicit EngineHolder(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {}

  std::shared_ptr<const Engine> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return engine_;
  }
  void Set(std::shared_ptr<const Engine> engine) {
    std::lock_guard<std::mutex> lock(mu_);
    engine_.swap(engine);
    // The old engine, now in `engine`, is released after the lock.
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Engine> engine_;
};

}  // namespace steady

#endif  // STEADY_SERVER_ENGINE_HOLDER_H_

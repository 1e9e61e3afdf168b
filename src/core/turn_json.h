// The JSON shape of a turn as clients see it (DESIGN.md, "HTTP API (v1)"):
//   {"messages": [{"text", "quick_replies"}], "intent": "...",
//    "crisis": null | {"category": "...", "resources": [Resource...]}}
// Shared by every channel that stores or sends a turn, so a retried message
// replays exactly what was sent the first time.
#ifndef STEADY_CORE_TURN_JSON_H_
#define STEADY_CORE_TURN_JSON_H_

#include <nlohmann/json.hpp>

#include "core/engine.h"

namespace steady {

nlohmann::json ResourceJson(const Resource& resource);
nlohmann::json MessagesJson(const std::vector<Reply>& replies);
nlohmann::json TurnResponseJson(const Turn& turn);

}  // namespace steady

#endif  // STEADY_CORE_TURN_JSON_H_

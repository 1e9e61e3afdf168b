#include "core/turn_json.h"

namespace steady {

nlohmann::json ResourceJson(const Resource& resource) {
  nlohmann::json j = {{"id", resource.id}, {"name", resource.name}};
  // Optional fields are left out rather than sent empty, so a client can
  // test for presence.
  if (!resource.phone.empty()) j["phone"] = resource.phone;
  if (!resource.sms.empty()) j["sms"] = resource.sms;
  if (!resource.url.empty()) j["url"] = resource.url;
  if (!resource.text.empty()) j["text"] = resource.text;
  return j;
}

nlohmann::json MessagesJson(const std::vector<Reply>& replies) {
  nlohmann::json messages = nlohmann::json::array();
  for (const Reply& reply : replies) {
    messages.push_back({{"text", reply.text}, {"quick_replies", reply.quick_replies}});
  }
  return messages;
}

nlohmann::json TurnResponseJson(const Turn& turn) {
  nlohmann::json resources = nlohmann::json::array();
  for (const Resource* r : turn.resources) resources.push_back(ResourceJson(*r));
  nlohmann::json j;
  j["messages"] = MessagesJson(turn.replies);
  j["intent"] = turn.intent;
  j["crisis"] = nullptr;
  if (turn.crisis) {
    j["crisis"] = {{"category", CrisisCategoryName(*turn.crisis)}, {"resources", resources}};
  }
  // Also outside `crisis`: a check-in shows 988 while no crisis is set.
  j["resources"] = std::move(resources);
  return j;
}

}  // namespace steady

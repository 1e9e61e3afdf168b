#include "adapters/channel_reply.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/render.h"
#include "core/session_state.h"
#include "core/turn_json.h"

namespace steady::adapters {
namespace {

using nlohmann::json;

std::string StringField(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool ReadTextReply(const std::string& response_json, TextReply* reply) {
  *reply = TextReply();
  const json turn = json::parse(response_json, nullptr, /*allow_exceptions=*/false);
  if (!turn.is_object()) return false;
  auto messages = turn.find("messages");
  if (messages == turn.end() || !messages->is_array()) return false;
  for (const json& message : *messages) {
    if (!message.is_object()) continue;
    const std::string text = StringField(message, "text");
    if (!text.empty()) reply->messages.push_back(text);
    auto quick = message.find("quick_replies");
    if (quick == message.end() || !quick->is_array()) continue;
    for (const json& label : *quick) {
      if (!label.is_string()) continue;
      const std::string l = label.get<std::string>();
      if (std::find(reply->quick_replies.begin(), reply->quick_replies.end(), l) ==
          reply->quick_replies.end()) {
        reply->quick_replies.push_back(l);
      }
    }
  }
  // A crisis, or the check-in that asks about suicide: the numbers lead.
  auto crisis = turn.find("crisis");
  const bool about_risk = (crisis != turn.end() && crisis->is_object()) ||
                          StringField(turn, "intent") == "crisis.check_in";
  auto resources = turn.find("resources");
  if (resources != turn.end() && resources->is_array()) {
    for (const json& resource : *resources) {
      if (!resource.is_object()) continue;
      const std::string line = ResourceLine(resource);
      if (line.empty()) continue;
      (about_risk ? reply->first_lines : reply->last_lines).push_back(line);
    }
  }
  return true;
}

std::string ResourceLine(const json& resource) {
  std::string text = StringField(resource, "text");
  if (!text.empty()) return text;
  // Content without a text line (`steady validate` reports it): the name and
  // the numbers themselves, which need no words around them.
  std::string line = StringField(resource, "name");
  for (const char* field : {"phone", "sms", "url"}) {
    const std::string value = StringField(resource, field);
    if (value.empty()) continue;
    line += (line.empty() ? "" : (line.find(": ") == std::string::npos ? ": " : ", ")) + value;
  }
  return line;
}

std::vector<std::string> ResourceLines(const Content& content,
                                       const std::vector<std::string>& ids) {
  std::vector<std::string> lines;
  for (const std::string& id : ids) {
    if (const Resource* r = content.FindResource(id)) {
      const std::string line = ResourceLine(ResourceJson(*r));
      if (!line.empty()) lines.push_back(line);
    }
  }
  return lines;
}

std::string RenderWording(const std::string& text, const Content& content) {
  SessionState nobody;  // channel wording knows no session: only {coach}
  RenderScope scope;
  scope.state = &nobody;
  scope.system = &content.system;
  return RenderText(text, scope);
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

std::string JoinParagraphs(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const std::string& p : paragraphs) {
    if (p.empty()) continue;
    out += (out.empty() ? "" : "\n\n") + p;
  }
  return out;
}

}  // namespace steady::adapters

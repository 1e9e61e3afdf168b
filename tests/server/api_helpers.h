// Small helpers the HTTP API tests share: start a conversation, send a
// message, read a JSON body.
#ifndef STEADY_TESTS_SERVER_API_HELPERS_H_
#define STEADY_TESTS_SERVER_API_HELPERS_H_

#include <httplib.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace steady::testing {

inline nlohmann::json BodyJson(const httplib::Result& r) {
  if (!r) throw std::runtime_error("no response: " + httplib::to_string(r.error()));
  return nlohmann::json::parse(r->body);
}

// POST /v1/sessions; returns the new session id.
inline std::string StartConversation(httplib::Client& client) {
  httplib::Result r = client.Post("/v1/sessions", "", "application/json");
  if (!r || r->status != 201) throw std::runtime_error("could not start a conversation");
  return BodyJson(r).at("session_id").get<std::string>();
}

inline httplib::Result Send(httplib::Client& client, const std::string& session_id,
                            const std::string& text, const std::string& client_message_id = "") {
  nlohmann::json body = {{"text", text}};
  if (!client_message_id.empty()) body["client_message_id"] = client_message_id;
  return client.Post("/v1/sessions/" + session_id + "/messages", body.dump(), "application/json");
}

inline std::string ErrorCode(const httplib::Result& r) {
  return BodyJson(r).at("error").at("code").get<std::string>();
}

// The texts the person sent, in transcript order.
inline std::vector<std::string> UserLines(httplib::Client& client, const std::string& id) {
  std::vector<std::string> lines;
  const nlohmann::json view = BodyJson(client.Get("/v1/sessions/" + id));
  for (const auto& line : view["transcript"]) {
    if (line["role"] == "user") lines.push_back(line["text"]);
  }
  return lines;
}

}  // namespace steady::testing

#endif  // STEADY_TESTS_SERVER_API_HELPERS_H_

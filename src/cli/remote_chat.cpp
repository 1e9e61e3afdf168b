#include "cli/remote_chat.h"

#include <httplib.h>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/chat_input.h"
#include "cli/commands.h"
#include "store/session_id.h"

namespace steady {
namespace {

void PrintMessages(const nlohmann::json& body, std::ostream& out) {
  for (const nlohmann::json& m : body.value("messages", nlohmann::json::array())) {
    out << "steady: " << m.value("text", "") << "\n";
    const nlohmann::json quick = m.value("quick_replies", nlohmann::json::array());
    if (!quick.empty()) {
      out << "       ";
      for (const nlohmann::json& q : quick) out << " [" << q.get<std::string>() << "]";
      out << "\n";
    }
  }
  for (const nlohmann::json& r : body.value("resources", nlohmann::json::array())) {
    out << "        * " << r.value("text", r.value("name", "")) << "\n";
  }
}

// The error sentence of an API error body, or the status.
std::string ErrorOf(const httplib::Result& result) {
  if (!result) return "cannot reach the server (" + httplib::to_string(result.error()) + ")";
  nlohmann::json body = nlohmann::json::parse(result->body, nullptr, false);
  if (body.is_object() && body.contains("error")) {
    return body["error"].value("message", "") + " (" + std::to_string(result->status) + ")";
  }
  return "HTTP " + std::to_string(result->status);
}

}  // namespace

int RunRemoteChat(const std::string& url, const std::string& session_id_flag, std::istream& in,
                  std::ostream& out, std::ostream& err) {
  httplib::Client client(url);
  if (!client.is_valid()) {
    err << "steady chat: --url must look like http://127.0.0.1:8080\n";
    return kExitUsage;
  }
  client.set_connection_timeout(5);
  client.set_read_timeout(30);

  std::string session_id = session_id_flag;
  if (session_id.empty()) {
    httplib::Result r = client.Post("/v1/sessions", "", "application/json");
    if (!r || r->status != 201) {
      err << "steady chat: cannot start a conversation: " << ErrorOf(r) << "\n";
      return kExitCheckFailed;
    }
    nlohmann::json body = nlohmann::json::parse(r->body, nullptr, false);
    session_id = body.value("session_id", "");
    err << "(session " << session_id << "; resume with --session " << session_id << ")\n";
    PrintMessages(body, out);
  } else {
    httplib::Result r = client.Get("/v1/sessions/" + session_id);
    if (!r || r->status != 200) {
      err << "steady chat: cannot resume " << session_id << ": " << ErrorOf(r) << "\n";
      return kExitCheckFailed;
    }
    err << "(resuming session " << session_id << ")\n";
  }

  return ForEachChatLine(in, out, [&](int number, const std::string& line) {
    if (line.find_first_not_of(" \t") == std::string::npos) return -1;
    // One id per message, so a retry after a dropped connection is answered
    // once, not twice.
    std::string message_id;
    NewSessionId(&message_id);
    const std::string body =
        nlohmann::json{{"text", line}, {"client_message_id", message_id}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string path = "/v1/sessions/" + session_id + "/messages";
    httplib::Result r = client.Post(path, body, "application/json");
    if (!r) r = client.Post(path, body, "application/json");  // one retry, same id
    if (!r) {
      err << "steady chat: line " << number << ": " << ErrorOf(r) << "\n";
      return kExitCheckFailed;
    }
    nlohmann::json reply = nlohmann::json::parse(r->body, nullptr, false);
    // A 503 may still carry a crisis reply: show it before the error.
    if (reply.is_object()) PrintMessages(reply, out);
    if (r->status != 200) {
      err << "steady chat: line " << number << ": " << ErrorOf(r) << "\n";
      if (r->status >= 500 || r->status == 404) return kExitCheckFailed;
    }
    return -1;
  });
}

}  // namespace steady

// docs/openapi.json tells an operator what the adapter routes answer; the
// live answers must be among the documented ones, with their content type.
#include <catch2/catch.hpp>

#include "adapters/adapter_helpers.h"
#include "support/run_process.h"

namespace steady::testing {
namespace {

using nlohmann::json;

void CheckDocumented(const json& doc, const std::string& path, const httplib::Result& r) {
  REQUIRE(r);
  INFO(path << " answered " << r->status << ": " << r->body.substr(0, 200));
  const json& responses = doc["paths"][path]["post"]["responses"];
  const std::string status = std::to_string(r->status);
  REQUIRE(responses.contains(status));
  json documented = responses[status];
  if (documented.contains("$ref")) {
    documented = doc.at(json::json_pointer(documented["$ref"].get<std::string>().substr(1)));
  }
  if (r->body.empty()) return;  // an empty 200 (nothing to answer)
  REQUIRE(documented.contains("content"));
  const std::string type = r->get_header_value("Content-Type");
  CHECK(documented["content"].contains(type));
  if (type == "application/json" && r->status == 200) {
    const json body = json::parse(r->body);
    for (const auto& field : doc["components"]["schemas"]["TelegramSendMessage"]["required"]) {
      CHECK(body.contains(field.get<std::string>()));
    }
  }
}

}  // namespace

TEST_CASE("the adapters answer as docs/openapi.json says", "[adapters][openapi]") {
  const json doc = json::parse(ReadFile(std::string(STEADY_SOURCE_DIR) + "/docs/openapi.json"));
  AdapterServer f;
  CheckDocumented(doc, kTelegramPath, PostTelegram(f.client, TextUpdate(1, 5, "I slipped")));
  CheckDocumented(doc, kTelegramPath, PostTelegram(f.client, TextUpdate(2, 5, "hi").dump(), "x"));
  CheckDocumented(doc, kTelegramPath, PostTelegram(f.client, std::string("{")));
  CheckDocumented(doc, kTelegramPath,
                  PostTelegram(f.client, json{{"update_id", 3}, {"poll", json::object()}}));
  const Form form = SmsForm("+15005550006", "I slipped", "SM1");
  CheckDocumented(doc, kSmsPath, PostSms(f.client, form));
  CheckDocumented(doc, kSmsPath, PostSms(f.client, form, "-"));
  CheckDocumented(doc, kSmsPath, PostSms(f.client, {{"From", "+1"}}));
  CheckDocumented(doc, kSmsPath, f.client.Post(kSmsPath, {{"X-Twilio-Signature", "x"}}, "{}",
                                               "application/json"));

  TempDir dir;
  ServerProcess plain({"--db", dir.File("s.db")});
  httplib::Client client = plain.Client();
  CheckDocumented(doc, kTelegramPath, PostTelegram(client, TextUpdate(1, 5, "hi")));
  CheckDocumented(doc, kSmsPath, PostSms(client, form));
}

}  // namespace steady::testing

// docs/openapi.json and the server agree: the same routes, and what the
// live server answers is what the document says (status codes, and bodies
// that fit the documented schemas).
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "server/api_helpers.h"
#include "server/routes.h"
#include "support/run_process.h"
#include "support/server_process.h"

namespace steady::testing {
namespace {

using nlohmann::json;

json OpenApi() { return json::parse(ReadFile(std::string(STEADY_SOURCE_DIR) + "/docs/openapi.json")); }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A small JSON Schema check covering what the document uses: $ref, type,
// nullable, enum, required, properties, items, oneOf/anyOf. Returns "" when
// `value` fits, else where and why it does not.
std::string Mismatch(const json& doc, const json& schema, const json& value,
                     const std::string& where) {
  if (schema.contains("$ref")) {
    std::string ref = schema["$ref"];  // "#/components/schemas/Name"
    return Mismatch(doc, doc.at(json::json_pointer(ref.substr(1))), value, where);
  }
  for (const char* any : {"oneOf", "anyOf"}) {
    if (!schema.contains(any)) continue;
    std::string last;
    for (const json& option : schema[any]) {
      last = Mismatch(doc, option, value, where);
      if (last.empty()) return "";
    }
    return where + ": fits none of " + any + " (" + last + ")";
  }
  if (value.is_null()) {
    return schema.value("nullable", false) ? "" : where + ": null but not nullable";
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const json& e : schema["enum"]) found = found || e == value;
    if (!found) return where + ": " + value.dump() + " is not in the enum";
  }
  const std::string type = schema.value("type", "");
  if (type == "object") {
    if (!value.is_object()) return where + ": not an object";
    const json required = schema.value("required", json::array());
    for (const json& name : required) {
      if (!value.contains(name.get<std::string>())) return where + ": missing " + name.dump();
    }
    const json properties = schema.value("properties", json::object());
    for (const auto& [name, sub] : properties.items()) {
      if (!value.contains(name)) continue;
      std::string m = Mismatch(doc, sub, value[name], where + "." + name);
      if (!m.empty()) return m;
    }
  } else if (type == "array") {
    if (!value.is_array()) return where + ": not an array";
    for (size_t i = 0; i < value.size(); ++i) {
      std::string m = Mismatch(doc, schema.value("items", json::object()), value[i],
                               where + "[" + std::to_string(i) + "]");
      if (!m.empty()) return m;
    }
  } else if (type == "string" && !value.is_string()) {
    return where + ": not a string";
  } else if (type == "integer" && !value.is_number_integer()) {
    return where + ": not an integer";
  } else if (type == "number" && !value.is_number()) {
    return where + ": not a number";
  } else if (type == "boolean" && !value.is_boolean()) {
    return where + ": not a boolean";
  }
  return "";
}

// Checks one live response against the documented operation.
void CheckAgainstDocument(const json& doc, const std::string& method, const std::string& path,
                          const httplib::Result& r) {
  INFO(method << " " << path);
  REQUIRE(r);
  const json& responses = doc["paths"][path][Lower(method)]["responses"];
  const std::string status = std::to_string(r->status);
  INFO("status " << status << ": " << r->body.substr(0, 300));
  REQUIRE(responses.contains(status));
  json documented = responses[status];
  if (documented.contains("$ref")) {  // "#/components/responses/Name"
    documented = doc.at(json::json_pointer(documented["$ref"].get<std::string>().substr(1)));
  }
  if (!documented.contains("content")) {
    CHECK(r->body.empty());
    return;
  }
  const std::string type = r->get_header_value("Content-Type");
  const json& content = documented["content"];
  if (content.contains("application/json")) {
    CHECK(type == "application/json");
    std::string m = Mismatch(doc, content["application/json"]["schema"], json::parse(r->body), "body");
    CHECK(m == "");
  } else {
    bool listed = false;
    for (const auto& [media, unused] : content.items()) {
      listed = listed || media == type || media.substr(0, media.find(';')) == type.substr(0, type.find(';'));
    }
    CHECK(listed);
  }
}

}  // namespace

TEST_CASE("docs/openapi.json documents exactly the server's routes", "[server][openapi]") {
  json doc = OpenApi();
  CHECK(doc.at("openapi").get<std::string>().rfind("3.", 0) == 0);
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc.at("paths").items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") continue;
      documented.insert(Lower(method) + " " + path);
    }
  }
  for (const Route& route : ApiRoutes()) served.insert(Lower(route.method) + " " + route.path);
  CHECK(documented == served);
}

TEST_CASE("the live server answers as docs/openapi.json says", "[server][openapi]") {
  json doc = OpenApi();
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db"), "--session-burst", "3", "--session-rate", "1"});
  httplib::Client client = server.Client();
  const char* kJson = "application/json";

  httplib::Result created = client.Post("/v1/sessions", "", kJson);
  CheckAgainstDocument(doc, "POST", "/v1/sessions", created);
  const std::string id = BodyJson(created)["session_id"];
  const std::string messages = "/v1/sessions/" + id + "/messages";

  // Every success, with a crisis so the crisis shape is checked too.
  CheckAgainstDocument(doc, "POST", "/v1/sessions/{id}/messages", Send(client, id, "I used last night"));
  CheckAgainstDocument(doc, "POST", "/v1/sessions/{id}/messages", Send(client, id, "i want to kill myself"));
  CheckAgainstDocument(doc, "GET", "/v1/sessions/{id}", client.Get("/v1/sessions/" + id));
  CheckAgainstDocument(doc, "GET", "/healthz", client.Get("/healthz"));
  CheckAgainstDocument(doc, "GET", "/readyz", client.Get("/readyz"));
  CheckAgainstDocument(doc, "GET", "/metrics", client.Get("/metrics"));

  // Every kind of refusal.
  const std::string op = "/v1/sessions/{id}/messages";
  CheckAgainstDocument(doc, "POST", op, client.Post(messages, "{", kJson));
  CheckAgainstDocument(doc, "POST", op, client.Post(messages, R"({"text": "hi"})", "text/plain"));
  CheckAgainstDocument(doc, "POST", op,
                       client.Post(messages, json{{"text", std::string(2001, 'a')}}.dump(), kJson));
  CheckAgainstDocument(doc, "POST", op, client.Post(messages, std::string(70000, ' '), kJson));
  CheckAgainstDocument(doc, "POST", op, client.Post(messages, {{"Transfer-Encoding", "chunked"}},
                                                     "2\r\n{}\r\n0\r\n\r\n", kJson));
  CheckAgainstDocument(doc, "POST", op, Send(client, "AAAAAAAAAAAAAAAAAAAAAA", "hi"));
  CheckAgainstDocument(doc, "POST", op, client.Put(messages, "{}", kJson));
  httplib::Result limited = Send(client, id, "hello");
  CheckAgainstDocument(doc, "POST", op, limited);
  CHECK(limited->status == 429);
  CheckAgainstDocument(doc, "POST", "/v1/sessions", client.Post("/v1/sessions", "[]", kJson));
  CheckAgainstDocument(doc, "GET", "/v1/sessions/{id}", client.Get("/v1/sessions/nope"));
  CheckAgainstDocument(doc, "GET", "/healthz", client.Post("/healthz", "", kJson));

  CheckAgainstDocument(doc, "DELETE", "/v1/sessions/{id}", client.Delete("/v1/sessions/" + id));
  CheckAgainstDocument(doc, "DELETE", "/v1/sessions/{id}", client.Delete("/v1/sessions/" + id));
}

}  // namespace steady::testing

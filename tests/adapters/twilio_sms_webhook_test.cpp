// The Twilio SMS adapter through the real `steady serve` on loopback, with
// requests signed inside the test the way Twilio signs them.
#include <catch2/catch.hpp>

#include "adapters/adapter_helpers.h"

namespace steady::testing {
namespace {

constexpr char kPhone[] = "+15005550006";

std::string SmsSession(const std::string& phone = kPhone) { return SessionIdOf("sms", phone); }

httplib::Result Text(AdapterServer& f, const std::string& body, const std::string& sid,
                     const std::string& from = kPhone) {
  return PostSms(f.client, SmsForm(from, body, sid));
}

}  // namespace

TEST_CASE("Twilio: the signature algorithm, worked by hand", "[adapters][twilio]") {
  // Twilio's documented example (webhooks-security): this URL, these
  // parameters and the auth token "12345" give "0/KCTR6DLpKmkAf8muzZqo1nDgQ=".
  // The signed string is the URL followed by each name and value, sorted
  // by name, with nothing between them:
  const std::string signed_string =
      "https://mycompany.com/myapp.php?foo=1&bar=2"
      "CallSidCA1234567890ABCDE" "Caller+12349013030" "Digits1234"
      "From+12349013030" "To+18005551212";
  CHECK(Base64(Hmac(EVP_sha1(), "12345", signed_string)) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  CHECK(TwilioSign("https://mycompany.com/myapp.php?foo=1&bar=2",
                   {{"To", "+18005551212"}, {"From", "+12349013030"}, {"Digits", "1234"},
                    {"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"}},
                   "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");

  // The same for this server's route, computed once by hand and written
  // down, and accepted by the real server:
  //   https://coach.example.org/v1/adapters/twilio/sms
  //   + "BodyI slipped" + "From+15005550006"
  //   + "MessageSidSM00000000000000000000000000000001" + "To+15005550001"
  //   HMAC-SHA1 keyed "test-auth-token", base64:
  const std::string hand_signature = "xfQb1+/XX6Cd0jO7D2qmjrshWA0=";
  const Form params = {{"Body", "I slipped"},
                       {"From", "+15005550006"},
                       {"MessageSid", "SM00000000000000000000000000000001"},
                       {"To", "+15005550001"}};
  CHECK(TwilioSign("https://coach.example.org/v1/adapters/twilio/sms", params) == hand_signature);
  AdapterServer f;
  httplib::Result r = PostSms(f.client, params, hand_signature);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(SmsText(r).find("are you somewhere safe right now?") != std::string::npos);
}

TEST_CASE("Twilio: a signed text is answered with TwiML", "[adapters][twilio]") {
  AdapterServer f;
  httplib::Result r = Text(f, "I slipped last night", "SM100");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type").rfind("text/xml", 0) == 0);
  CHECK(r->body.find("<Response><Message>") != std::string::npos);
  const std::string text = SmsText(r);
  // The first reply of a conversation says what this is, then answers.
  CHECK(StartsWith(text, "Hi, this is"));
  CHECK(text.find("STOP") < text.find("are you somewhere safe right now?"));
  // Quick replies as a numbered list.
  CHECK(text.find("1. Yes, I'm safe\n2. Not really\n3. I'm still using") != std::string::npos);
  std::vector<nlohmann::json> lines = UserEntries(f.client, SmsSession());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["intent"] == "lapse.disclosure");
  // The introduction is for the first reply only.
  CHECK(SmsText(Text(f, "Not really", "SM101")).find("Hi, this is") == std::string::npos);
}

TEST_CASE("Twilio: a reply of just a number picks that quick reply", "[adapters][twilio]") {
  AdapterServer f;
  Text(f, "I slipped last night", "SM110");
  const std::string text = SmsText(Text(f, "2", "SM111"));
  std::vector<nlohmann::json> lines = UserEntries(f.client, SmsSession());
  REQUIRE(lines.size() == 2);
  CHECK(lines[1]["text"] == "Not really");  // what "2" stood for
  // "Not really" (not safe) leads to the safety node, not the fallback.
  CHECK(lines[1]["intent"] != "fallback");
  CHECK(text.find("I'm not sure I understood") == std::string::npos);
  // A number past the list is just text.
  Text(f, "9", "SM112");
  CHECK(UserEntries(f.client, SmsSession()).back()["text"] == "9");
}

TEST_CASE("Twilio: a wrong signature gets 403 and nothing is processed", "[adapters][twilio]") {
  AdapterServer f;
  const Form form = SmsForm(kPhone, "I want to die", "SM200");
  Form tampered = form;
  tampered[2].second = "I am fine";  // Body changed after signing
  const std::string other_url =
      TwilioSign("https://evil.example.org/v1/adapters/twilio/sms", form);
  const std::string other_token =
      TwilioSign(std::string(kPublicUrl) + kSmsPath, form, "another-token");
  for (const auto& [params, signature] :
       std::vector<std::pair<Form, std::string>>{
           {tampered, TwilioSign(std::string(kPublicUrl) + kSmsPath, form)},
           {form, other_url},
           {form, other_token},
           {form, "-"},  // no header at all
           {form, "not base64"}}) {
    INFO("signature " << signature);
    httplib::Result r = PostSms(f.client, params, signature);
    REQUIRE(r);
    CHECK(r->status == 403);
    CHECK(nlohmann::json::parse(r->body)["error"]["code"] == "bad_signature");
    CHECK(r->body.find("<Response>") == std::string::npos);
  }
  CHECK(SessionView(f.client, SmsSession()).is_null());
}

TEST_CASE("Twilio: the URL may be signed with or without the default port", "[adapters][twilio]") {
  AdapterServer f;
  const Form form = SmsForm(kPhone, "hello", "SM210");
  httplib::Result r =
      PostSms(f.client, form, TwilioSign("https://coach.example.org:443/v1/adapters/twilio/sms", form));
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("Twilio: a malformed or incomplete form gets 4xx and changes nothing",
          "[adapters][twilio]") {
  AdapterServer f;
  const std::string url = std::string(kPublicUrl) + kSmsPath;
  // Not a form at all.
  httplib::Result r = f.client.Post(kSmsPath, {{"X-Twilio-Signature", TwilioSign(url, {})}},
                                    R"({"Body":"hi"})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 415);
  // A broken %-escape.
  r = f.client.Post(kSmsPath, {{"X-Twilio-Signature", TwilioSign(url, {})}},
                    "Body=%G1&From=%2B1", "application/x-www-form-urlencoded");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(nlohmann::json::parse(r->body)["error"]["code"] == "malformed_form");
  // Signed, but without Body or From.
  for (const char* missing : {"Body", "From", "MessageSid"}) {
    INFO("without " << missing);
    Form form = SmsForm(kPhone, "hi", "SM220");
    form.erase(std::remove_if(form.begin(), form.end(),
                              [&](const auto& p) { return p.first == missing; }),
               form.end());
    r = PostSms(f.client, form);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(nlohmann::json::parse(r->body)["error"]["code"] == "missing_field");
  }
  CHECK(SessionView(f.client, SmsSession()).is_null());
}

TEST_CASE("Twilio: a retried delivery gets the same reply and is stored once",
          "[adapters][twilio]") {
  AdapterServer f;
  httplib::Result first = Text(f, "I really want to use right now", "SM300");
  httplib::Result retry = Text(f, "I really want to use right now", "SM300");
  REQUIRE(first);
  REQUIRE(retry);
  CHECK(first->status == 200);
  CHECK(retry->body == first->body);  // the introduction included
  CHECK(UserEntries(f.client, SmsSession()).size() == 1);
  httplib::Result later = Text(f, "yes", "SM301");
  CHECK(Text(f, "yes", "SM301")->body == later->body);
  CHECK(UserEntries(f.client, SmsSession()).size() == 2);
}

TEST_CASE("Twilio: a crisis over SMS lists the numbers first", "[adapters][twilio]") {
  AdapterServer f;
  httplib::Result r = Text(f, "I took too many pills and can't stay awake", "SM400");
  const std::vector<std::string> bodies = SmsBodies(r);
  REQUIRE(!bodies.empty());
  // Overdose: 911 leads, before the introduction and any other words.
  CHECK(StartsWith(bodies[0], "911: call for an emergency"));
  CHECK(bodies[0].find("Poison Control") < bodies[0].find("Hi, this is"));
  std::vector<nlohmann::json> lines = UserEntries(f.client, SmsSession());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["crisis"] == "overdose");
  // Later turns keep the numbers in reach, still first.
  CHECK(StartsWith(SmsText(Text(f, "ok", "SM401")), "911:"));
}

TEST_CASE("Twilio: HELP says what this number is and lists crisis numbers", "[adapters][twilio]") {
  AdapterServer f;
  for (const char* help : {"HELP", " help ", "Info"}) {
    INFO(help);
    const std::string text = SmsText(Text(f, help, std::string("SM5") + help));
    CHECK(text.find("automated recovery coach") != std::string::npos);
    CHECK(text.find("call or text 988") != std::string::npos);
    CHECK(text.find("911") != std::string::npos);
  }
  CHECK(SessionView(f.client, SmsSession()).is_null());  // HELP changes nothing
  // "help me" is a message, not the keyword.
  Text(f, "help me", "SM510");
  CHECK(UserEntries(f.client, SmsSession()).size() == 1);
}

TEST_CASE("Twilio: STOP erases and silences until START, and survives a restart",
          "[adapters][twilio]") {
  TempDir dir;
  std::vector<std::string> args = AdapterServer::Args(dir, {});
  {
    ServerProcess server(args);
    httplib::Client client = server.Client();
    PostSms(client, SmsForm(kPhone, "I slipped last night", "SM600"));
    REQUIRE(UserEntries(client, SmsSession()).size() == 1);
    httplib::Result stop = PostSms(client, SmsForm(kPhone, "Stop", "SM601"));
    const std::string confirmation = SmsText(stop);
    CHECK(confirmation.find("won't get any more texts") != std::string::npos);
    CHECK(confirmation.find("START") != std::string::npos);
    CHECK(confirmation.find("988") != std::string::npos);
    // The conversation is gone; only the marker is left.
    nlohmann::json view = SessionView(client, SmsSession());
    REQUIRE(view.is_object());
    CHECK(view["transcript"].empty());
    // A retried STOP gets the same confirmation.
    CHECK(PostSms(client, SmsForm(kPhone, "Stop", "SM601"))->body == stop->body);
  }
  ServerProcess server(args);  // a restart
  httplib::Client client = server.Client();
  httplib::Result silent = PostSms(client, SmsForm(kPhone, "are you there?", "SM602"));
  REQUIRE(silent);
  CHECK(silent->status == 200);
  CHECK(SmsBodies(silent).empty());
  CHECK(silent->body.find("<Response></Response>") != std::string::npos);
  CHECK(SessionView(client, SmsSession())["transcript"].empty());  // not even read
  // HELP is still answered.
  CHECK(SmsText(PostSms(client, SmsForm(kPhone, "HELP", "SM603"))).find("988") !=
        std::string::npos);
  // START: the introduction, and the next message starts a new conversation.
  const std::string start = SmsText(PostSms(client, SmsForm(kPhone, "start", "SM604")));
  CHECK(StartsWith(start, "Hi, this is"));
  const std::string first = SmsText(PostSms(client, SmsForm(kPhone, "I need to talk", "SM605")));
  CHECK(StartsWith(first, "Hi, this is"));
  std::vector<nlohmann::json> lines = UserEntries(client, SmsSession());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["text"] == "I need to talk");
}

TEST_CASE("Twilio: YES only opts in after STOP; otherwise it answers the coach",
          "[adapters][twilio]") {
  AdapterServer f;
  Text(f, "I slipped last night", "SM700");
  Text(f, "yes", "SM701");
  CHECK(UserEntries(f.client, SmsSession()).back()["intent"] == "affirm");
}

TEST_CASE("Twilio: a picture without words gets a short reply that only text is read",
          "[adapters][twilio]") {
  AdapterServer f;
  Form mms = SmsForm(kPhone, "", "SM800");
  mms[5].second = "1";  // NumMedia
  mms.emplace_back("MediaUrl0", "https://api.twilio.com/media/1");
  const std::string text = SmsText(PostSms(f.client, mms));
  CHECK(text.find("only read text") != std::string::npos);
  CHECK(SessionView(f.client, SmsSession()).is_null());
}

TEST_CASE("Twilio: a very long text is refused kindly; a long non-Latin text is read",
          "[adapters][twilio]") {
  AdapterServer f;
  const std::string refused = SmsText(Text(f, std::string(2500, 'a'), "SM900"));
  CHECK(refused.find("too long") != std::string::npos);
  CHECK(SessionView(f.client, SmsSession()).is_null());
  // 1,600 characters of emoji: about 19 KB once form-encoded, more than the
  // HTTP library reads into a form by itself.
  std::string emoji;
  for (int i = 0; i < 800; ++i) emoji += "\xF0\x9F\x98\x80";  // U+1F600, 2 SMS characters each
  httplib::Result r = Text(f, emoji, "SM901");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(UserEntries(f.client, SmsSession()).size() == 1);
}

TEST_CASE("Twilio: a reply longer than one SMS is split into several messages",
          "[adapters][twilio]") {
  // Content whose answer to "hi" is 2,500 characters long.
  TempDir content;
  std::filesystem::copy(std::string(STEADY_SOURCE_DIR) + "/intents", content.File("intents"));
  std::filesystem::copy(std::string(STEADY_SOURCE_DIR) + "/dialogs", content.File("dialogs"));
  nlohmann::json greeting = nlohmann::json::parse(ReadFile(content.File("dialogs/greeting.json")),
                                                  nullptr, true, /*ignore_comments=*/true);
  std::string sentence;
  for (int i = 0; i < 50; ++i) sentence += "Take one small step at a time, and be kind to you. ";
  for (auto& flow : greeting["flows"]) {
    if (flow["id"] == "hello_again") flow["nodes"][0]["say"] = {sentence + "\n\n" + sentence};
  }
  content.Write("dialogs/greeting.json", greeting.dump(2));
  AdapterServer f({"--content", content.root()});
  const std::vector<std::string> bodies = SmsBodies(Text(f, "hi", "SM950"));
  REQUIRE(bodies.size() >= 2);
  std::string joined;
  for (const std::string& body : bodies) {
    CHECK(body.size() <= 1600);
    joined += body;
  }
  CHECK(StartsWith(bodies[0], "Hi, this is"));
  CHECK(joined.find("be kind to you.") != std::string::npos);
  CHECK(joined.find("1. I slipped") != std::string::npos);  // nothing lost at the end
}

TEST_CASE("Twilio: the phone number is never stored in clear", "[adapters][twilio]") {
  AdapterServer f;
  Text(f, "I slipped", "SM990", "+15558675309");
  f.server.Stop();
  const std::string db = ReadFile(f.dir.File("steady.db")) + ReadFile(f.dir.File("steady.db-wal"));
  CHECK(db.find("5558675309") == std::string::npos);
  CHECK(db.find(SmsSession("+15558675309")) != std::string::npos);
  CHECK(f.server.err().find("5558675309") == std::string::npos);
}

TEST_CASE("Twilio: without --twilio-auth-token the route answers 404", "[adapters][twilio]") {
  TempDir dir;
  ServerProcess server({"--db", dir.File("s.db")});
  httplib::Client client = server.Client();
  httplib::Result r = PostSms(client, SmsForm(kPhone, "hi", "SM1"));
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(nlohmann::json::parse(r->body)["error"]["code"] == "adapter_not_enabled");
}

}  // namespace steady::testing

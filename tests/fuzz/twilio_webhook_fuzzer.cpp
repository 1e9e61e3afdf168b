// Fuzzes the Twilio SMS webhook (TwilioSmsAdapter::Handle,
// src/adapters/twilio_sms_adapter.h) end to end over the real store and
// the shipped content. Input: up to four form bodies, one a line, each
// delivered in turn as Twilio would (signed correctly, so the fuzzer gets
// past the signature and reaches the parser's consumers: From, Body and
// MessageSid, STOP/START/HELP, numbered quick replies, retries, TwiML).
// Every session the input touched is erased afterwards, so inputs do not
// depend on each other.
//
// Promises checked for every delivery:
//  - the answer is 200 with TwiML, or 400 with a JSON error (malformed form,
//    missing field);
//  - TwiML is one <Response> of <Message> elements whose text is escaped
//    (no '<' or control characters inside), valid UTF-8, each at most 1,600
//    UTF-16 units;
//  - a message that is a crisis, from someone who has not opted out, is
//    answered with its crisis's first resource line before any other words.
#include <httplib.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "adapters/sms_text.h"
#include "adapters/twilio_signature.h"
#include "adapters/twilio_sms_adapter.h"
#include "channel_fixture.h"
#include "core/utf8.h"

namespace {

using steady::adapters::FormParams;

constexpr char kToken[] = "fuzz-auth-token";
constexpr char kPublicUrl[] = "https://coach.example.org";
constexpr char kPath[] = "/v1/adapters/twilio/sms";

const std::string* Param(const FormParams& params, const char* name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

// The texts of the <Message> elements; aborts when the document is not
// the TwiML the adapter promises.
std::vector<std::string> MessagesOf(const std::string& xml) {
  const std::string head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  FUZZ_CHECK(xml.rfind(head, 0) == 0, "TwiML starts with the XML declaration");
  std::string rest = xml.substr(head.size());
  while (!rest.empty() && rest.back() == '\n') rest.pop_back();
  std::vector<std::string> messages;
  if (rest == "<Response/>" || rest == "<Response></Response>") return messages;
  const std::string open = "<Response>", close = "</Response>";
  FUZZ_CHECK(rest.rfind(open, 0) == 0 && rest.size() >= open.size() + close.size() &&
                 rest.compare(rest.size() - close.size(), close.size(), close) == 0,
             "TwiML is one <Response>");
  std::string_view inner(rest);
  inner = inner.substr(open.size(), inner.size() - open.size() - close.size());
  while (!inner.empty()) {
    FUZZ_CHECK(inner.rfind("<Message>", 0) == 0, "a <Response> holds only <Message> elements");
    inner.remove_prefix(9);
    const size_t end = inner.find("</Message>");
    FUZZ_CHECK(end != std::string_view::npos, "every <Message> is closed");
    messages.emplace_back(inner.substr(0, end));
    inner.remove_prefix(end + 10);
  }
  return messages;
}

void CheckMessageText(const std::string& text) {
  FUZZ_CHECK(text.find('<') == std::string::npos, "message text has '<' escaped");
  for (unsigned char c : text) {
    FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r',
               "message text has no character XML 1.0 forbids");
  }
  FUZZ_CHECK(steady::IsValidUtf8(text), "message text is valid UTF-8");
  FUZZ_CHECK(steady::adapters::Utf16Length(text) <= steady::adapters::kMaxSmsBodyChars,
             "a <Message> holds at most 1,600 characters");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  steady::fuzz::ChannelFixture& fixture = steady::fuzz::ChannelFixture::Get();
  static steady::adapters::TwilioSmsAdapter adapter(fixture.sessions.get(), kToken, kPublicUrl);

  std::set<std::string> senders, sids;
  for (std::string_view line : steady::fuzz::SplitLines(steady::fuzz::AsText(data, size), 4)) {
    const std::string body(line);
    FormParams params;
    const bool parsed = steady::adapters::ParseFormBody(body, &params);
    httplib::Request req;
    req.method = "POST";
    req.target = req.path = kPath;
    req.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
    req.headers.emplace("X-Twilio-Signature",
                        steady::adapters::TwilioSignature(
                            kToken, std::string(kPublicUrl) + kPath, params));

    const std::string* from = parsed ? Param(params, "From") : nullptr;
    const std::string* text = parsed ? Param(params, "Body") : nullptr;
    const std::string* sid = parsed ? Param(params, "MessageSid") : nullptr;
    steady::SessionState before;
    std::string session_id;
    if (from != nullptr) {
      senders.insert(*from);
      session_id = fixture.sessions->SessionIdFor("sms", *from);
      fixture.sessions->LoadState(session_id, &before);
    }
    // A retried MessageSid replays the first reply, whatever this Body says.
    const bool retry = sid != nullptr && from != nullptr && !sids.insert(*from + "\n" + *sid).second;

    httplib::Response res;
    adapter.Handle(req, body, res);
    FUZZ_CHECK(res.status == 200 || res.status == 400, "the answer is 200 or 400");
    if (res.status == 400) {
      FUZZ_CHECK(res.get_header_value("Content-Type").rfind("application/json", 0) == 0,
                 "a refusal is a JSON error");
      continue;
    }
    FUZZ_CHECK(from != nullptr && text != nullptr && sid != nullptr,
               "only a form with From, Body and MessageSid is answered");
    const std::vector<std::string> messages = MessagesOf(res.body);
    for (const std::string& m : messages) CheckMessageText(m);

    const std::optional<steady::CrisisCategory> crisis = fixture.CrisisOf(*text, before);
    if (crisis && !before.opted_out && !retry) {
      const std::string first = steady::adapters::XmlEscape(fixture.FirstCrisisLine(*crisis));
      FUZZ_CHECK(!messages.empty() && messages.front().rfind(first, 0) == 0,
                 "a crisis is answered with its first resource line before any other words");
    }
  }
  for (const std::string& from : senders) {
    FUZZ_CHECK(fixture.sessions->Erase(fixture.sessions->SessionIdFor("sms", from)).ok(),
               "the sessions of the input are erased");
  }
  return 0;
}

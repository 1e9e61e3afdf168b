#include "adapters/twilio_sms_adapter.h"

#include <httplib.h>

#include <algorithm>

#include "adapters/channel_reply.h"
#include "adapters/sms_text.h"
#include "adapters/twilio_signature.h"
#include "server/http_server.h"

namespace steady::adapters {
namespace {

constexpr char kSignatureHeader[] = "X-Twilio-Signature";
// A phone number is a person's, wherever the SMS came through.
constexpr char kPlatform[] = "sms";
constexpr char kTwimlType[] = "text/xml; charset=utf-8";

enum class Keyword { kNone, kStop, kStart, kHelp };

std::string Trimmed(const std::string& text) {
  const char* ws = " \t\r\n";
  const size_t begin = text.find_first_not_of(ws);
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(ws) - begin + 1);
}

std::string Upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

bool Listed(const std::vector<std::string>& words, const std::string& upper) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return Upper(w) == upper; });
}

// A keyword only counts as the whole message, in any letter case, as
// carriers treat them: "stop" is STOP, "stop texting me" is a message.
Keyword KeywordOf(const std::string& body, const SmsWording& wording) {
  const std::string word = Upper(Trimmed(body));
  if (word.empty()) return Keyword::kNone;
  if (Listed(wording.stop_keywords, word)) return Keyword::kStop;
  if (Listed(wording.start_keywords, word)) return Keyword::kStart;
  if (Listed(wording.help_keywords, word)) return Keyword::kHelp;
  return Keyword::kNone;
}

// The quick reply a reply of just its number ("2", "2.") picks, or "".
std::string PickedQuickReply(const std::string& body, const std::vector<std::string>& offered) {
  std::string text = Trimmed(body);
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text.empty() || text.size() > 2 || text[0] == '0') return "";
  size_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return "";
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  return n >= 1 && n <= offered.size() ? offered[n - 1] : "";
}

const std::string* Param(const FormParams& params, const char* name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

void SendTwiml(const std::vector<std::string>& paragraphs, httplib::Response& res) {
  const std::string text = JoinParagraphs(paragraphs);
  res.status = 200;
  res.set_content(Twiml(text.empty() ? std::vector<std::string>() : SplitText(text)), kTwimlType);
}

const SmsWording& WordingOf(const Content& content) {
  static const SmsWording kNone;  // content reloaded without it
  return content.channels.sms ? *content.channels.sms : kNone;
}

}  // namespace

bool ParsePublicUrl(const std::string& url, std::string* normalized) {
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest[0] == '/' || rest[0] == ':') return false;
  for (char c : rest) {
    if (c == '?' || c == '#' || c == '@' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return false;
    }
  }
  std::string out = url;
  while (!out.empty() && out.back() == '/') out.pop_back();
  *normalized = out;
  return true;
}

TwilioSmsAdapter::TwilioSmsAdapter(ChannelSessions* sessions, std::string auth_token,
                                   std::string public_url)
    : sessions_(sessions), auth_token_(std::move(auth_token)), public_url_(std::move(public_url)) {}

void TwilioSmsAdapter::Handle(const httplib::Request& req, const std::string& body,
                              httplib::Response& res) {
  const ApiError forged{403, "bad_signature",
                        "This address takes messages from Twilio only, signed with the "
                        "account's auth token."};
  if (!req.has_header(kSignatureHeader)) return SendError(forged, res);
  std::string type = req.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  if (Upper(Trimmed(type)) != "APPLICATION/X-WWW-FORM-URLENCODED") {
    return SendError({415, "unsupported_media_type",
                      "Send the form as application/x-www-form-urlencoded, as Twilio does."},
                     res);
  }
  FormParams params;
  if (!ParseFormBody(body, &params)) {
    return SendError({400, "malformed_form", "The body is not a well-formed form."}, res);
  }
  if (!VerifyTwilioSignature(auth_token_, public_url_ + req.target, params,
                             req.get_header_value(kSignatureHeader))) {
    return SendError(forged, res);
  }
  const std::string* from = Param(params, "From");
  const std::string* text = Param(params, "Body");
  const std::string* sid = Param(params, "MessageSid");
  if (from == nullptr || from->empty() || text == nullptr || sid == nullptr || sid->empty() ||
      sid->size() > 128) {
    return SendError({400, "missing_field", "The form needs From, Body and MessageSid."}, res);
  }
  Reply(*from, *text, *sid, res);
}

// Everything past the checks: keywords, the opt-out, the turn, the TwiML.
void TwilioSmsAdapter::Reply(const std::string& from, const std::string& body,
                             const std::string& message_sid, httplib::Response& res) {
  std::shared_ptr<const Engine> engine = sessions_->engine();
  const Content& content = engine->content();
  const SmsWording& wording = WordingOf(content);
  const std::string intro = RenderWording(wording.intro, content);
  const Keyword keyword = KeywordOf(body, wording);
  if (keyword == Keyword::kHelp) {
    // Answered even after STOP: it asks for information, and it is where
    // the crisis numbers are. It changes nothing.
    return SendTwiml({RenderWording(wording.help, content),
                      JoinLines(ResourceLines(content, wording.help_resources))},
                     res);
  }

  const std::string session_id = sessions_->SessionIdFor(kPlatform, from);
  SessionLocks::Hold hold = sessions_->Lock(session_id);
  if (keyword == Keyword::kStop) {
    // Answered the same however often it comes, so a retry gets the same reply.
    if (!sessions_->OptOut(session_id).ok()) {
      return SendError({503, "store_unavailable", "The opt-out could not be saved right now."},
                       res);
    }
    return SendTwiml({RenderWording(wording.stopped, content)}, res);
  }

  SessionState state;
  const Status loaded = sessions_->LoadState(session_id, &state);
  const bool exists = loaded.code() != Status::Code::kNotFound;
  if (keyword == Keyword::kStart && (!exists || state.opted_out)) {
    // Opting in again, or a first "START": the introduction. The
    // conversation itself starts with the next message.
    if (state.opted_out && !sessions_->Erase(session_id).ok()) {
      return SendError({503, "store_unavailable", "The opt-in could not be saved right now."},
                       res);
    }
    return SendTwiml({intro}, res);
  }
  if (state.opted_out) return SendTwiml({}, res);  // nothing until START
  if (Trimmed(body).empty()) {
    return SendTwiml({RenderWording(wording.not_text, content)}, res);
  }

  std::string message = PickedQuickReply(body, state.offered_quick_replies);
  if (message.empty()) message = body;
  const ChannelTurn turn = sessions_->Answer(session_id, exists, message, message_sid);
  const TurnOutcome& outcome = turn.outcome;
  TextReply reply;
  if (outcome.kind == TurnOutcome::Kind::kRefused) {
    return SendTwiml({outcome.error_message}, res);
  }
  if (outcome.response.empty() || !ReadTextReply(outcome.response, &reply)) {
    // The store failed and the message was no crisis: nothing was saved,
    // and Twilio does not deliver it again, so the person is asked to.
    return SendTwiml({RenderWording(wording.unavailable, content)}, res);
  }
  // The first reply of a conversation says what this is. A message is the
  // first when nothing was answered before it; a retried one, when it is
  // the only message answered so far.
  const uint64_t answered_before = exists && !turn.started ? state.turn_count : 0;
  const bool first = outcome.kind == TurnOutcome::Kind::kReplayed ? answered_before == 1
                                                                  : answered_before == 0;
  std::vector<std::string> paragraphs = {JoinLines(reply.first_lines)};
  if (first) paragraphs.push_back(intro);
  paragraphs.insert(paragraphs.end(), reply.messages.begin(), reply.messages.end());
  paragraphs.push_back(JoinLines(reply.last_lines));
  if (!reply.quick_replies.empty()) {
    std::vector<std::string> lines = {RenderWording(wording.quick_reply_hint, content)};
    for (size_t i = 0; i < reply.quick_replies.size(); ++i) {
      lines.push_back(std::to_string(i + 1) + ". " + reply.quick_replies[i]);
    }
    paragraphs.push_back(JoinLines(lines));
  }
  SendTwiml(paragraphs, res);
}

}  // namespace steady::adapters

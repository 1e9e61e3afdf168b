#include "server/escalation_event.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

#include "server/access_log.h"
#include "server/conversation_service.h"
#include "store/session_id.h"

namespace steady {

bool BuildEscalationEvent(const CrisisTurnFacts& facts, OutboxEvent* out) {
  std::string random;
  if (!NewSessionId(&random).ok()) return false;  // 128 random bits, URL-safe
  nlohmann::json body = {
      {"event_id", "evt_" + random},
      {"type", "crisis_turn"},
      {"category", facts.category},
      {"intent", facts.intent},
      {"session", SessionHash(facts.session_id)},
      {"session_path", "/v1/sessions/" + facts.session_id},
      {"time", FormatUtc(facts.now)},
      {"crisis_started_at",
       facts.crisis_started_at > 0 ? nlohmann::json(FormatUtc(facts.crisis_started_at)) : nullptr},
      {"turn", facts.turn},
  };
  if (facts.text != nullptr) body["text"] = *facts.text;
  out->id = body["event_id"].get<std::string>();
  out->session_id = facts.session_id;
  // The text was checked to be UTF-8 before the turn; replace is a backstop.
  out->payload_json = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out->created_ms = facts.now * 1000;
  out->attempts = 0;
  out->next_attempt_ms = 0;  // due at once
  return true;
}

std::string SignEscalation(const std::string& secret, const std::string& timestamp,
                           const std::string& body) {
  const std::string signed_text = timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac,
       &mac_len);
  static const char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < mac_len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xf];
  }
  return out;
}

}  // namespace steady

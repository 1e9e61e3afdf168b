#include "server/access_log.h"

#include <openssl/sha.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "server/conversation_service.h"

namespace steady {

std::string SessionHash(const std::string& session_id) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(session_id.data()), session_id.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 8; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

void AccessLog::Write(const std::string& method, const std::string& route, int status, double ms,
                      const std::string& session_id) {
  if (out_ == nullptr) return;
  nlohmann::json line = {{"time", FormatUtc(std::time(nullptr))},
                         {"method", method},
                         {"route", route},
                         {"status", status},
                         {"ms", static_cast<double>(static_cast<int64_t>(ms * 100)) / 100}};
  if (!session_id.empty()) line["session"] = SessionHash(session_id);
  // The method is the only request-controlled string here; dump() escapes
  // it, and replacement of invalid UTF-8 keeps the line valid JSON.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace steady

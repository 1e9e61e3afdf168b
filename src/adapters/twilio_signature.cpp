#include "adapters/twilio_signature.h"

#include <algorithm>

#include "adapters/crypto.h"

namespace steady::adapters {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Decode(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(c);
    }
  }
  return true;
}

// The same URL with the scheme's default port added when it has none, or
// removed when it has it; "" when that makes no other URL.
std::string OtherPortForm(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  const std::string scheme = url.substr(0, scheme_end);
  const char* port = scheme == "https" ? "443" : scheme == "http" ? "80" : nullptr;
  if (port == nullptr) return "";
  const size_t host_start = scheme_end + 3;
  size_t host_end = url.find_first_of("/?#", host_start);
  if (host_end == std::string::npos) host_end = url.size();
  const std::string authority = url.substr(host_start, host_end - host_start);
  const std::string with_port = std::string(":") + port;
  if (authority.size() > with_port.size() &&
      authority.compare(authority.size() - with_port.size(), with_port.size(), with_port) == 0) {
    return url.substr(0, host_end - with_port.size()) + url.substr(host_end);
  }
  if (authority.find(':') != std::string::npos && authority.back() != ']') return "";
  return url.substr(0, host_end) + with_port + url.substr(host_end);
}

}  // namespace

std::string TwilioSignedString(const std::string& url, const FormParams& params) {
  FormParams sorted = params;
  std::sort(sorted.begin(), sorted.end());  // by name, then value: byte order
  std::string out = url;
  for (const auto& [name, value] : sorted) {
    out += name;
    out += value;
  }
  return out;
}

std::string TwilioSignature(std::string_view auth_token, const std::string& url,
                            const FormParams& params) {
  return Base64(HmacSha1(auth_token, TwilioSignedString(url, params)));
}

bool VerifyTwilioSignature(std::string_view auth_token, const std::string& url,
                           const FormParams& params, std::string_view signature) {
  // Both forms are always computed and compared, so the time taken says
  // nothing about which one matched.
  const bool as_given = ConstantTimeEquals(TwilioSignature(auth_token, url, params), signature);
  const std::string other = OtherPortForm(url);
  const bool other_form =
      !other.empty() && ConstantTimeEquals(TwilioSignature(auth_token, other, params), signature);
  return as_given || other_form;
}

bool ParseFormBody(std::string_view body, FormParams* params) {
  params->clear();
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      std::string name, value;
      if (!Decode(pair.substr(0, eq), &name) || name.empty()) return false;
      if (eq != std::string_view::npos && !Decode(pair.substr(eq + 1), &value)) return false;
      params->emplace_back(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return true;
}

}  // namespace steady::adapters

#include "server/escalation_options.h"

#include <cctype>

namespace steady {

bool ParseHttpUrl(const std::string& url, HttpUrl* out, std::string* error) {
  std::string rest;
  std::string scheme;
  for (const char* s : {"https://", "http://"}) {
    if (url.rfind(s, 0) == 0) {
      scheme = s;
      rest = url.substr(scheme.size());
      break;
    }
  }
  if (scheme.empty()) {
    *error = "the URL must start with http:// or https://";
    return false;
  }
  for (unsigned char c : url) {
    if (c <= ' ' || c >= 0x7f) {
      *error = "the URL must not contain spaces or control or non-ASCII characters";
      return false;
    }
  }
  if (url.find('#') != std::string::npos) {
    *error = "the URL must not have a #fragment";
    return false;
  }
  const size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  if (authority.empty()) {
    *error = "the URL has no host";
    return false;
  }
  if (authority.find('@') != std::string::npos) {
    *error = "put no user or password in the URL; the signature authenticates Steady";
    return false;
  }
  // Port, if any: digits after the last ':' that is not inside [IPv6].
  const size_t bracket = authority.rfind(']');
  const size_t colon = authority.rfind(':');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    const std::string port = authority.substr(colon + 1);
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits || std::stol(port) < 1 || std::stol(port) > 65535 || colon == 0) {
      *error = "the URL's port is not a number from 1 to 65535";
      return false;
    }
  }
  out->origin = scheme + authority;
  out->path = slash == std::string::npos ? "/" : rest.substr(slash);
  return true;
}

}  // namespace steady

// The few cryptographic pieces the adapters need, on OpenSSL's libcrypto:
// HMACs, base64 and a comparison whose time does not depend on where two
// values first differ (so a forger cannot find a secret byte by byte).
//
// Pure functions; thread-safe.
#ifndef STEADY_ADAPTERS_CRYPTO_H_
#define STEADY_ADAPTERS_CRYPTO_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace steady::adapters {

// Raw 32-byte HMAC-SHA256 of `data` keyed with `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// Raw 20-byte HMAC-SHA1 of `data` keyed with `key` (Twilio's signature).
std::string HmacSha1(std::string_view key, std::string_view data);

// Standard base64 with padding ("0/KCTR6DLpKmkAf8muzZqo1nDgQ=").
std::string Base64(std::string_view bytes);

// URL-safe base64 without padding (A-Z a-z 0-9 - _), as session ids are
// written.
std::string Base64Url(std::string_view bytes);

// Lowercase hexadecimal.
std::string Hex(std::string_view bytes);

// Whether `a` equals `b`, in time that depends only on their lengths. Both
// are hashed first, so even their lengths are compared in constant time.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `size` bytes from the operating system's random source.
Status RandomBytes(size_t size, std::string* out);

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_CRYPTO_H_

// New session ids and seeds from the operating system's random source.
#ifndef STEADY_STORE_SESSION_ID_H_
#define STEADY_STORE_SESSION_ID_H_

#include <cstdint>
#include <string>

#include "core/status.h"

namespace steady {

// 128 random bits as 22 URL-safe base64 characters (DESIGN.md: session ids
// are at least 128 random bits, URL-safe).
Status NewSessionId(std::string* id);

// A random 64-bit seed for reply variants.
Status NewSeed(uint64_t* seed);

// True when `id` could be a session id: 1-128 characters of [A-Za-z0-9_-].
bool IsWellFormedSessionId(const std::string& id);

}  // namespace steady

#endif  // STEADY_STORE_SESSION_ID_H_

// The server secret: the key of the HMAC that turns a platform user id (a
// phone number, a Telegram chat id) into a session id, so no such id is
// ever stored in clear (DESIGN.md, "Privacy and safety defaults").
//
// It comes from --secret / STEADY_SECRET when given. Otherwise it is kept
// in a file `steady.secret` in the data folder (next to the database):
// created on the first start that needs it (32 random bytes, written as 64
// hex digits, mode 0600) and read back on every later start. A file that
// others may read, or that does not hold what Steady wrote, stops the
// server with a sentence saying what to do, rather than being replaced:
// replacing it would silently forget every conversation keyed by it.
//
// Several servers sharing one database must share the secret: give each
// the same --secret (the content of steady.secret will do).
#ifndef STEADY_ADAPTERS_SERVER_SECRET_H_
#define STEADY_ADAPTERS_SERVER_SECRET_H_

#include <string>

#include "core/status.h"

namespace steady::adapters {

// The file name, in the database's folder.
extern const char kServerSecretFile[];

// Shortest secret accepted from --secret, in bytes.
constexpr size_t kMinServerSecretBytes = 32;

// Whether `secret` can be a --secret: kMinServerSecretBytes or more, no
// whitespace or control characters.
bool IsAcceptableServerSecret(const std::string& secret);

// Sets *secret to `given` when it is not empty; otherwise reads or creates
// the secret file in the folder of the SQLite file `db_path`. *created (may
// be null) tells whether the file was made now. kInvalid with a sentence
// for the operator when the file or the database path won't do.
Status LoadServerSecret(const std::string& given, const std::string& db_path,
                        std::string* secret, bool* created);

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_SERVER_SECRET_H_

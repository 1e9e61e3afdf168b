// `steady chat --url http://host:port`: the terminal chat, talking to a
// running `steady serve` over the HTTP API instead of a local database.
#ifndef STEADY_CLI_REMOTE_CHAT_H_
#define STEADY_CLI_REMOTE_CHAT_H_

#include <iosfwd>
#include <string>

namespace steady {

// Starts a session (or resumes `session_id` when not empty) and sends each
// line of `in` as a message, printing the replies. Exit codes as commands.h.
int RunRemoteChat(const std::string& url, const std::string& session_id, std::istream& in,
                  std::ostream& out, std::ostream& err);

}  // namespace steady

#endif  // STEADY_CLI_REMOTE_CHAT_H_

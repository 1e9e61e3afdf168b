// The terminal chat's input loop, shared by the local chat and
// `chat --url`: a "you> " prompt when a person is typing, an echoed
// "you: ..." line when the input is piped (so a transcript reads well),
// Windows line endings tolerated.
#ifndef STEADY_CLI_CHAT_INPUT_H_
#define STEADY_CLI_CHAT_INPUT_H_

#include <functional>
#include <iosfwd>
#include <string>

namespace steady {

// Calls `handle(line_number, line)` for each line of `in` until the input
// ends or `handle` returns an exit code >= 0 (returned). -1 means go on.
// Returns 0 at the end of the input.
int ForEachChatLine(std::istream& in, std::ostream& out,
                    const std::function<int(int, const std::string&)>& handle);

}  // namespace steady

#endif  // STEADY_CLI_CHAT_INPUT_H_

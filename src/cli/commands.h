// The subcommands of the `steady` binary. Each takes its arguments (without
// the program and subcommand names) and its streams, and returns the exit
// code: 0 ok, 1 a check failed, 2 usage or input error (one line on `err`).
// Taking streams instead of using std::cin/std::cout lets tests drive the
// commands in-process.
#ifndef STEADY_CLI_COMMANDS_H_
#define STEADY_CLI_COMMANDS_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace steady {

using Args = std::vector<std::string>;

int RunChat(const Args& args, std::istream& in, std::ostream& out, std::ostream& err);
int RunMatch(const Args& args, std::istream& in, std::ostream& out, std::ostream& err);
int RunValidate(const Args& args, std::istream& in, std::ostream& out, std::ostream& err);
int RunConversationTests(const Args& args, std::istream& in, std::ostream& out, std::ostream& err);
int RunEval(const Args& args, std::istream& in, std::ostream& out, std::ostream& err);
int RunMigrate(const Args& args, std::istream& in, std::ostream& out, std::ostream& err);
int RunServe(const Args& args, std::istream& in, std::ostream& out, std::ostream& err);

// Exit codes.
constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitUsage = 2;

}  // namespace steady

#endif  // STEADY_CLI_COMMANDS_H_

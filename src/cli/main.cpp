// steady: the one binary. Dispatches to a subcommand (commands.h).
#include <iostream>
#include <map>
#include <string>

#include "cli/commands.h"

namespace {

const char kUsage[] =
    "usage: steady <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve     [--host ADDR] [--port N] [--db PATH] [--content DIR] ...\n"
    "            the HTTP chat API (steady serve --help lists every option)\n"
    "  chat      [--db PATH | --url http://HOST:PORT] [--session ID] [--debug] [--content DIR]\n"
    "            talk to Steady in the terminal (reads lines from stdin)\n"
    "  match     [--json] [--content DIR] [TEXT...]\n"
    "            what a message matches; without TEXT, one message a line from stdin\n"
    "  validate  [--content DIR]   check all content\n"
    "  test      [--content DIR] [--coverage] [FILES...]   run conversation tests\n"
    "  eval      [--content DIR] FILE.tsv      precision and recall per intent and crisis\n"
    "  migrate   --db PATH         create or upgrade the database schema\n"
    "\n"
    "Content is read from ./intents and ./dialogs unless --content DIR (or\n"
    "$STEADY_CONTENT) names a folder holding both.\n";

}  // namespace

int main(int argc, char** argv) {
  using Command = int (*)(const steady::Args&, std::istream&, std::ostream&, std::ostream&);
  const std::map<std::string, Command> commands = {
      {"chat", steady::RunChat},         {"match", steady::RunMatch},
      {"validate", steady::RunValidate}, {"test", steady::RunConversationTests},
      {"eval", steady::RunEval},         {"migrate", steady::RunMigrate},
      {"serve", steady::RunServe},
  };
  if (argc < 2) {
    std::cerr << kUsage;
    return steady::kExitUsage;
  }
  const std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    std::cout << kUsage;
    return steady::kExitOk;
  }
  auto it = commands.find(name);
  if (it == commands.end()) {
    std::cerr << "steady: unknown command '" << name << "' (try steady --help)\n";
    return steady::kExitUsage;
  }
  steady::Args args(argv + 2, argv + argc);
  std::ios::sync_with_stdio(false);
  return it->second(args, std::cin, std::cout, std::cerr);
}

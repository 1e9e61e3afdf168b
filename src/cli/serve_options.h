// The options of `steady serve`: a table of flags, each with the STEADY_*
// environment variable that sets it when the flag is absent, its help line
// and how it fills ServeConfig. `steady serve --help` prints the table.
#ifndef STEADY_CLI_SERVE_OPTIONS_H_
#define STEADY_CLI_SERVE_OPTIONS_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/adapter_options.h"
#include "server/escalation_options.h"
#include "server/server_options.h"

namespace steady {

struct ServeConfig {
  ServerOptions server;
  std::string db = "var/steady.db";  // SQLite file (postgresql:// later)
  std::string content;               // "" = the usual search (cli_common.h)
  size_t max_text_chars = 2000;      // longest message, in characters
  bool sync_every_commit = false;    // SQLite synchronous=FULL
  EscalationOptions escalation;      // crisis turns to a human; off by default
  AdapterOptions adapters;           // Telegram and Twilio SMS; off by default
  bool help = false;                 // --help was given
};

// Fills *config from `env` (name -> value) and then `args` (flags win).
// Returns false with a one-line *error on an unknown flag or a bad value.
bool ParseServeOptions(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env, ServeConfig* config,
                       std::string* error);

// The STEADY_* variables of this process's environment that serve reads.
std::map<std::string, std::string> ServeEnvironment();

void PrintServeHelp(std::ostream& out);

}  // namespace steady

#endif  // STEADY_CLI_SERVE_OPTIONS_H_

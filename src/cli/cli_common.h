// Helpers every subcommand shares: finding and loading the content.
#ifndef STEADY_CLI_CLI_COMMON_H_
#define STEADY_CLI_CLI_COMMON_H_

#include <iosfwd>
#include <memory>
#include <string>

#include "core/engine.h"

namespace steady {

// Where content is read from: `flag` (the --content value) if not empty,
// else $STEADY_CONTENT, else the current directory if it holds intents/,
// else the folder above the running binary if it holds intents/ (so
// build/steady works from anywhere in a checkout), else the current
// directory (and loading then fails naming it).
std::string ResolveContentRoot(const std::string& flag);

// Loads content from `root` and builds an engine. On failure prints every
// problem to `err` (one per line, file and reason) and returns the exit
// code: 2 for a missing folder or unreadable file, 1 for content that loads
// but is inconsistent. Returns 0 and sets *engine on success.
int LoadEngine(const std::string& root, std::ostream& err, std::unique_ptr<Engine>* engine,
               const EngineOptions& engine_options = EngineOptions());

// Today's date in UTC as "YYYY-MM-DD" (the CLI reads the clock, the core
// does not).
std::string TodayUtc();

}  // namespace steady

#endif  // STEADY_CLI_CLI_COMMON_H_

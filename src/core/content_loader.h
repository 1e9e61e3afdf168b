// Loading content from disk and checking it.
//
// LoadContent reads every *.json file under ROOT/intents and ROOT/dialogs
// (sorted by name; comments allowed) into one Content. Each file is an object
// whose keys are sections: "intents", "flows", "resources",
// "crisis_resources", "lexicon", "system" (docs/content.md). Reading is the
// only I/O the core does, and it happens once, before serving.
#ifndef STEADY_CORE_CONTENT_LOADER_H_
#define STEADY_CORE_CONTENT_LOADER_H_

#include <memory>
#include <string>
#include <vector>

#include "core/content.h"

namespace steady {

// One thing wrong with the content: "intents/core.json:12:5: syntax error ..."
// or "dialogs/lapse.json: flow 'lapse' node 'safety': target 'x' does not exist".
struct ContentProblem {
  std::string where;    // file, optionally with line:column
  std::string subject;  // "intent 'lapse.disclosure'", "flow 'lapse' node 'x'", or ""
  std::string message;
  // A warning fails `steady validate` but does not stop a server from
  // starting (a resource due for re-verification, say).
  bool warning = false;

  std::string ToString() const;
};

struct LoadResult {
  std::shared_ptr<const Content> content;  // null when a file could not be read/parsed
  std::vector<ContentProblem> problems;    // empty when all is well
  // True when the folder itself is missing (callers exit 2 naming it).
  bool missing_folder = false;
};

// Reads and structurally checks the content under `root`: JSON syntax (with
// line and column), section and field names and types, ids unique.
LoadResult LoadContent(const std::string& root);

class Engine;

struct ValidateOptions {
  // Today's date as "YYYY-MM-DD", handed in (the core reads no clock).
  std::string today;
  // A resource whose last_verified is older than this many days is reported.
  int max_resource_age_days = 365;
};

// The deeper checks `steady validate` runs on content that loaded: every
// example makes its intent win and no counter-example matches it; every
// flow trigger, route, target, resource and slot reference exists; every
// node is reachable; every crisis category has a flow and resources;
// resources were verified recently.
std::vector<ContentProblem> ValidateContent(const Engine& engine, const ValidateOptions& options);

}  // namespace steady

#endif  // STEADY_CORE_CONTENT_LOADER_H_

// steady validate: every problem in the content, one a line, then a count.
#include <cstdlib>
#include <ostream>

#include "cli/arg_parser.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "core/content_loader.h"

namespace steady {

int RunValidate(const Args& args, std::istream&, std::ostream& out, std::ostream& err) {
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, {"--content", "--max-resource-age-days"}, {}, &parsed, &error) ||
      !parsed.positional.empty()) {
    err << "steady validate: " << (error.empty() ? "takes no arguments" : error) << "\n";
    return kExitUsage;
  }
  const std::string root = ResolveContentRoot(parsed.Value("--content"));
  LoadResult loaded = LoadContent(root);
  if (loaded.missing_folder) {
    err << "steady validate: no content in '" << root
        << "': expected folders intents/ and dialogs/\n";
    return kExitUsage;
  }
  std::vector<ContentProblem> problems = loaded.problems;
  std::unique_ptr<Engine> engine;
  if (loaded.content && loaded.problems.empty()) {
    Status s = Engine::Create(loaded.content, EngineOptions(), &engine);
    if (!s.ok()) {
      problems.push_back(ContentProblem{"intents", "", s.message()});
    } else {
      ValidateOptions options;
      options.today = TodayUtc();
      if (parsed.values.count("--max-resource-age-days")) {
        options.max_resource_age_days = std::atoi(parsed.Value("--max-resource-age-days").c_str());
      }
      for (ContentProblem& p : ValidateContent(*engine, options)) problems.push_back(p);
    }
  }
  for (const ContentProblem& p : problems) {
    err << (p.warning ? "warning: " : "") << p.ToString() << "\n";
  }
  if (!problems.empty()) {
    err << problems.size() << " problem(s) in " << root << "\n";
    return kExitCheckFailed;
  }
  const Content& c = engine->content();
  size_t examples = 0;
  for (const Intent& i : c.intents) examples += i.examples.size() + i.counter_examples.size();
  out << "ok: " << c.intents.size() << " intents, " << c.flows.size() << " flows, "
      << c.resources.size() << " resources, " << examples << " examples checked\n";
  return kExitOk;
}

}  // namespace steady

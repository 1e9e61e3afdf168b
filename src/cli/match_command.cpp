// steady match: what a message matches, for content authors and tools.
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/arg_parser.h"
#include "cli/cli_common.h"
#include "cli/commands.h"

namespace steady {
namespace {

nlohmann::json MatchJson(const std::string& text, const Engine::Classification& c) {
  nlohmann::json matches = nlohmann::json::array();
  for (const IntentMatch& m : c.result.matches) {
    nlohmann::json jm = {{"intent", m.intent->id},
                         {"pattern", m.pattern},
                         {"priority", m.intent->priority},
                         {"specificity", m.specificity}};
    if (m.intent->crisis) jm["crisis"] = CrisisCategoryName(*m.intent->crisis);
    matches.push_back(jm);
  }
  nlohmann::json j = {{"text", text},
                      {"normalized", c.normalized},
                      {"intent", c.intent},
                      {"crisis", nullptr},
                      {"matches", matches},
                      {"vetoed", c.result.vetoed}};
  if (c.crisis) j["crisis"] = CrisisCategoryName(*c.crisis);
  return j;
}

void PrintHuman(const std::string& text, const Engine::Classification& c, std::ostream& out) {
  out << "text:       " << text << "\n"
      << "normalized: " << c.normalized << "\n"
      << "intent:     " << c.intent << "\n"
      << "crisis:     " << (c.crisis ? CrisisCategoryName(*c.crisis) : "none") << "\n";
  for (const IntentMatch& m : c.result.matches) {
    out << "  match " << m.intent->id << " (priority " << m.intent->priority << ", span "
        << m.specificity << "): " << m.pattern << "\n";
  }
  for (const std::string& id : c.result.vetoed) out << "  vetoed " << id << "\n";
}

}  // namespace

int RunMatch(const Args& args, std::istream& in, std::ostream& out, std::ostream& err) {
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, {"--content"}, {"--json", "--after-risk"}, &parsed, &error)) {
    err << "steady match: " << error << "\n";
    return kExitUsage;
  }
  std::unique_ptr<Engine> engine;
  if (int rc = LoadEngine(ResolveContentRoot(parsed.Value("--content")), err, &engine)) return rc;
  const bool json = parsed.Has("--json");
  const bool risk = parsed.Has("--after-risk");

  auto one = [&](const std::string& text, const std::string& where) -> int {
    std::string problem;
    if (engine->CheckInput(text, &problem) != InputError::kNone) {
      err << "steady match: " << where << problem << "\n";
      return kExitUsage;
    }
    Engine::Classification c = engine->Classify(text, risk);
    if (json) {
      out << MatchJson(text, c).dump() << "\n";
    } else {
      PrintHuman(text, c, out);
    }
    return kExitOk;
  };

  if (!parsed.positional.empty()) {
    std::string text;
    for (size_t i = 0; i < parsed.positional.size(); ++i) {
      if (i) text += ' ';
      text += parsed.positional[i];
    }
    return one(text, "");
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (int rc = one(line, "line " + std::to_string(number) + ": ")) return rc;
    out.flush();
  }
  return kExitOk;
}

}  // namespace steady

// ValidateContent: the checks `steady validate` runs beyond the loader's
// structural ones. Each problem names the file, the intent or node, and why.
#include <cstdio>
#include <ctime>
#include <deque>
#include <map>
#include <set>

#include "core/content_loader.h"
#include "core/engine.h"
#include "core/render.h"

namespace steady {
namespace {

class Validator {
 public:
  Validator(const Engine& engine, const ValidateOptions& options)
      : engine_(engine), content_(engine.content()), options_(options) {}

  std::vector<ContentProblem> Run() {
    CheckIntents();
    CheckSystem();
    for (const Flow& flow : content_.flows) CheckFlow(flow);
    CheckFlowReachability();
    CheckCrisisCoverage();
    CheckResources();
    CheckPlaceholders();
    CheckStigmatizingWords();
    CheckChannels();
    return std::move(problems_);
  }

 private:
  void Report(const std::string& where, const std::string& subject, const std::string& message) {
    problems_.push_back(ContentProblem{where, subject, message});
  }
  static std::string IntentSubject(const Intent& i) { return "intent '" + i.id + "'"; }
  static std::string NodeSubject(const Flow& f, const std::string& node) {
    return "flow '" + f.id + "' node '" + node + "'";
  }

  void CheckIntents() {
    for (const Intent& intent : content_.intents) {
      const std::string& file = intent.source.file;
      for (const std::string& example : intent.examples) {
        Engine::Classification c = engine_.Classify(example, intent.after_risk_only);
        if (c.intent != intent.id) {
          Report(file, IntentSubject(intent),
                 "example \"" + example + "\" is read as '" + c.intent + "' (normalized: \"" +
                     c.normalized + "\")");
        }
      }
      for (const std::string& counter : intent.counter_examples) {
        Engine::Classification c = engine_.Classify(counter, /*risk_context=*/true);
        for (const IntentMatch& m : c.result.matches) {
          if (m.intent->id == intent.id) {
            Report(file, IntentSubject(intent),
                   "counter-example \"" + counter + "\" matches it (pattern " + m.pattern + ")");
          }
        }
      }
      for (const std::string& pattern : intent.patterns) CheckPatternCanMatch(intent, pattern);
      for (const std::string& pattern : intent.unless) CheckPatternCanMatch(intent, pattern);
      const Flow* flow = content_.FlowTriggeredBy(intent.id);
      if (!intent.contextual && flow == nullptr) {
        Report(file, IntentSubject(intent),
               "starts no flow; add it to a flow's triggers or mark it contextual");
      }
      if (intent.contextual && flow != nullptr) {
        Report(file, IntentSubject(intent),
               "is contextual but triggers flow '" + flow->id + "'");
      }
      if (intent.crisis && flow != nullptr) {
        auto start = flow->nodes.find(flow->start);
        if (start != flow->nodes.end() && start->second.enter_crisis != intent.crisis) {
          Report(file, IntentSubject(intent),
                 std::string("its flow '") + flow->id + "' must start with a node whose " +
                     "enter_crisis is '" + CrisisCategoryName(*intent.crisis) + "'");
        }
      }
      if (intent.after_risk_only && !intent.crisis) {
        Report(file, IntentSubject(intent), "after_risk_only is for crisis intents only");
      }
    }
  }

  // Patterns run over normalized text: lowercase, no apostrophes. A literal
  // capital letter or apostrophe can never match, which is a silent bug for
  // an author, so it is reported. Escapes (\\b, \\W, \\pL, \\p{Lu}) are skipped.
  void CheckPatternCanMatch(const Intent& intent, const std::string& pattern) {
    bool case_insensitive = pattern.rfind("(?i)", 0) == 0;
    for (size_t i = 0; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (c == '\\') {
        const bool unicode_class =
            i + 1 < pattern.size() && (pattern[i + 1] == 'p' || pattern[i + 1] == 'P');
        if (unicode_class && i + 2 < pattern.size() && pattern[i + 2] == '{') {
          i = pattern.find('}', i);  // \p{Greek}
          if (i == std::string::npos) return;
        } else {
          i += unicode_class ? 2 : 1;  // \pL, or \b \W \. ...
        }
        continue;
      }
      const bool capital = c >= 'A' && c <= 'Z' && !case_insensitive;
      const bool apostrophe = c == '\'' || pattern.compare(i, 3, "\xE2\x80\x99") == 0;
      if (capital || apostrophe) {
        Report(intent.source.file, IntentSubject(intent),
               "pattern \"" + pattern + "\" can never match: messages are matched lowercase, " +
                   "without apostrophes (write \"i am\", \"do not\")");
        return;
      }
    }
  }

  void CheckSystem() {
    const Flow* fallback = content_.FindFlow(content_.system.fallback_flow);
    if (fallback == nullptr) {
      Report("dialogs", "system", "fallback flow '" + content_.system.fallback_flow +
                                      "' does not exist");
    } else {
      for (const char* node : {"first", "repeated"}) {
        if (fallback->nodes.count(node) == 0) {
          Report(fallback->source.file, "flow '" + fallback->id + "'",
                 std::string("the fallback flow needs a node '") + node + "'");
        }
      }
    }
    if (content_.FindFlow(content_.system.greeting_flow) == nullptr) {
      Report("dialogs", "system", "greeting flow '" + content_.system.greeting_flow +
                                      "' does not exist");
    }
  }

  void CheckTarget(const Flow& flow, const Node& node, const Target& target,
                   const std::string& what) {
    switch (target.kind) {
      case Target::Kind::kNone:
      case Target::Kind::kEnd:
        return;
      case Target::Kind::kNode:
        if (flow.nodes.count(target.id) == 0) {
          Report(flow.source.file, NodeSubject(flow, node.id),
                 what + " goes to node '" + target.id + "', which this flow does not have");
        }
        return;
      case Target::Kind::kFlow:
        if (content_.FindFlow(target.id) == nullptr) {
          Report(flow.source.file, NodeSubject(flow, node.id),
                 what + " goes to flow '" + target.id + "', which does not exist");
        }
        return;
    }
  }

  static std::vector<const Target*> Targets(const Node& node) {
    std::vector<const Target*> out = {&node.next, &node.expect.yes, &node.expect.no,
                                      &node.expect.other, &node.otherwise};
    for (const auto& [intent, target] : node.expect.routes) out.push_back(&target);
    return out;
  }

  void CheckFlow(const Flow& flow) {
    const std::string& file = flow.source.file;
    const std::string subject = "flow '" + flow.id + "'";
    for (const std::string& trigger : flow.triggers) {
      if (content_.FindIntent(trigger) == nullptr) {
        Report(file, subject, "trigger '" + trigger + "' is not an intent");
      }
    }
    if (flow.nodes.count(flow.start) == 0) {
      Report(file, subject, "start node '" + flow.start + "' does not exist");
      return;
    }
    for (const auto& [id, node] : flow.nodes) {
      const std::string ns = NodeSubject(flow, id);
      if (node.say.empty()) Report(file, ns, "says nothing");
      CheckTarget(flow, node, node.next, "next");
      CheckTarget(flow, node, node.expect.yes, "yes");
      CheckTarget(flow, node, node.expect.no, "no");
      CheckTarget(flow, node, node.expect.other, "other");
      CheckTarget(flow, node, node.otherwise, "otherwise");
      for (const auto& [intent, target] : node.expect.routes) {
        if (content_.FindIntent(intent) == nullptr) {
          Report(file, ns, "routes '" + intent + "', which is not an intent");
        }
        CheckTarget(flow, node, target, "route '" + intent + "'");
      }
      if (node.expect.kind == Expectation::Kind::kYesNo &&
          (node.expect.yes.empty() || node.expect.no.empty())) {
        Report(file, ns, "a yes_no node needs both 'yes' and 'no'");
      }
      if (node.expect.kind == Expectation::Kind::kIntent && node.expect.routes.empty()) {
        Report(file, ns, "an intent node needs 'routes'");
      }
      for (const std::string& resource : node.resources) {
        if (content_.FindResource(resource) == nullptr) {
          Report(file, ns, "resource '" + resource + "' does not exist");
        }
      }
      CheckQuickReplies(flow, node);
    }
    CheckReachableNodes(flow);
    CheckNoSilentLoop(flow);
  }

  // A quick reply is a promise: tapping it must do something other than
  // the fallback.
  void CheckQuickReplies(const Flow& flow, const Node& node) {
    const Expectation& expect = node.expect;
    for (const std::string& label : node.quick_replies) {
      if (expect.kind == Expectation::Kind::kText || !expect.other.empty()) continue;
      Engine::Classification c = engine_.Classify(label, /*risk_context=*/true);
      bool understood = false;
      for (const IntentMatch& m : c.result.matches) {
        const std::string& id = m.intent->id;
        if (expect.routes.count(id) || m.intent->crisis || m.intent->check_in ||
            (expect.kind == Expectation::Kind::kYesNo && (id == "affirm" || id == "deny")) ||
            (!m.intent->contextual && content_.FlowTriggeredBy(id) != nullptr)) {
          understood = true;
          break;
        }
      }
      if (!understood) {
        Report(flow.source.file, NodeSubject(flow, node.id),
               "quick reply \"" + label + "\" is not understood here (read as '" + c.intent +
                   "')");
      }
    }
  }

  void CheckReachableNodes(const Flow& flow) {
    std::set<std::string> seen;
    std::deque<std::string> queue;
    auto visit = [&](const std::string& id) {
      if (flow.nodes.count(id) && seen.insert(id).second) queue.push_back(id);
    };
    visit(flow.start);
    if (flow.id == content_.system.fallback_flow) {
      visit("first");
      visit("repeated");
    }
    while (!queue.empty()) {
      const Node& node = flow.nodes.at(queue.front());
      queue.pop_front();
      for (const Target* t : Targets(node)) {
        if (t->kind == Target::Kind::kNode) visit(t->id);
      }
    }
    for (const auto& [id, node] : flow.nodes) {
      if (!seen.count(id)) {
        Report(flow.source.file, NodeSubject(flow, id), "is not reachable from the start");
      }
    }
  }

  // Nodes that wait for nothing pass straight on to `next`; a cycle of them
  // would never stop talking.
  void CheckNoSilentLoop(const Flow& flow) {
    for (const auto& [id, node] : flow.nodes) {
      std::set<std::string> path;
      const Node* current = &node;
      while (current->expect.kind == Expectation::Kind::kNothing &&
             current->next.kind == Target::Kind::kNode) {
        if (!path.insert(current->id).second) {
          Report(flow.source.file, NodeSubject(flow, id),
                 "is in a loop of nodes that never wait for an answer");
          break;
        }
        auto it = flow.nodes.find(current->next.id);
        if (it == flow.nodes.end()) break;
        current = &it->second;
      }
    }
  }

  void CheckFlowReachability() {
    std::set<std::string> targeted;
    for (const Flow& flow : content_.flows) {
      for (const auto& [id, node] : flow.nodes) {
        for (const Target* t : Targets(node)) {
          if (t->kind == Target::Kind::kFlow) targeted.insert(t->id);
        }
      }
    }
    for (const Flow& flow : content_.flows) {
      bool triggered = false;
      for (const std::string& trigger : flow.triggers) {
        if (content_.FindIntent(trigger) != nullptr) triggered = true;
      }
      if (!triggered && !targeted.count(flow.id) && flow.id != content_.system.greeting_flow &&
          flow.id != content_.system.fallback_flow) {
        Report(flow.source.file, "flow '" + flow.id + "'",
               "is never started: no intent triggers it and no node goes to it");
      }
    }
  }

  void CheckCrisisCoverage() {
    for (CrisisCategory category : AllCrisisCategories()) {
      const std::string name = CrisisCategoryName(category);
      auto it = content_.crisis_resources.find(category);
      if (it == content_.crisis_resources.end() || it->second.empty()) {
        Report("dialogs", "crisis category '" + name + "'", "has no crisis_resources");
      } else {
        for (const std::string& id : it->second) {
          if (content_.FindResource(id) == nullptr) {
            Report("dialogs", "crisis category '" + name + "'",
                   "resource '" + id + "' does not exist");
          }
        }
      }
      bool has_intent = false;
      for (const Intent& intent : content_.intents) {
        if (intent.crisis == category && !intent.after_risk_only) has_intent = true;
      }
      if (!has_intent) Report("intents", "crisis category '" + name + "'", "has no crisis intent");
    }
    // Every flow that enters crisis mode must have a way out of it, or the
    // person could never be told they are through it.
    for (const Flow& flow : content_.flows) {
      bool enters = false, ends = false;
      for (const auto& [id, node] : flow.nodes) {
        enters = enters || node.enter_crisis.has_value();
        ends = ends || node.end_crisis;
      }
      if (enters && !ends) {
        Report(flow.source.file, "flow '" + flow.id + "'",
               "enters crisis mode but no node ends it (end_crisis)");
      }
    }
  }

  // Days since 1970-01-01 of a "YYYY-MM-DD" date; -1 when malformed.
  static long DaysFromCivil(const std::string& date) {
    int y = 0, m = 0, d = 0;
    if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
    // Howard Hinnant's days_from_civil.
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
  }

  void CheckResources() {
    const long today = DaysFromCivil(options_.today);
    for (const Resource& r : content_.resources) {
      const std::string subject = "resource '" + r.id + "'";
      if (r.phone.empty() && r.sms.empty() && r.url.empty()) {
        Report(r.source.file, subject, "has no phone, sms or url");
      }
      if (r.text.empty()) Report(r.source.file, subject, "has no text for text-only channels");
      const long verified = DaysFromCivil(r.last_verified);
      if (verified < 0) {
        Report(r.source.file, subject, "last_verified must be a date YYYY-MM-DD");
      } else if (today >= 0 && today - verified > options_.max_resource_age_days) {
        Report(r.source.file, subject,
               "was last verified on " + r.last_verified + ", more than " +
                   std::to_string(options_.max_resource_age_days) +
                   " days ago: check it with the service and update last_verified");
        problems_.back().warning = true;
      } else if (today >= 0 && verified > today) {
        Report(r.source.file, subject, "last_verified " + r.last_verified + " is in the future");
      }
    }
  }

  // Every piece of text Steady says, with where it is, for the checks on
  // words and placeholders. `node` is null for system phrases.
  struct SaidText {
    std::string file;
    std::string subject;
    const std::string* text;
    const Node* node;
    bool episode_line;  // the node's episode_line: {episode.*} is allowed
    bool coach_only = false;  // channel wording: {coach} is the only placeholder
  };
  std::vector<SaidText> AllSaidText() const {
    std::vector<SaidText> out;
    auto add_phrasings = [&](const Flow& flow, const Node& node,
                             const std::vector<std::vector<std::string>>& phrasings) {
      for (const auto& phrasing : phrasings) {
        for (const std::string& text : phrasing) {
          out.push_back(SaidText{flow.source.file, NodeSubject(flow, node.id), &text, &node, false});
        }
      }
    };
    for (const Flow& flow : content_.flows) {
      for (const auto& [id, node] : flow.nodes) {
        add_phrasings(flow, node, node.say);
        add_phrasings(flow, node, node.reprompt);
        for (const std::string& text : node.quick_replies) {
          out.push_back(SaidText{flow.source.file, NodeSubject(flow, id), &text, &node, false});
        }
        if (!node.episode_line.empty()) {
          out.push_back(
              SaidText{flow.source.file, NodeSubject(flow, id), &node.episode_line, &node, true});
        }
      }
    }
    for (const auto* lines : {&content_.system.resume_prefix, &content_.system.crisis_mode_reminder}) {
      for (const std::string& text : *lines) {
        out.push_back(SaidText{"dialogs", "system", &text, nullptr, false});
      }
    }
    // Channel wording: {coach} is its only placeholder (no node, no slots).
    if (const auto& t = content_.channels.telegram) {
      for (const std::string* text : {&t->help, &t->not_text, &t->deleted, &t->private_only}) {
        out.push_back(SaidText{t->source.file, "channel 'telegram'", text, nullptr, false, true});
      }
    }
    if (const auto& m = content_.channels.sms) {
      for (const std::string* text : {&m->intro, &m->help, &m->not_text, &m->stopped,
                                      &m->quick_reply_hint, &m->unavailable}) {
        out.push_back(SaidText{m->source.file, "channel 'sms'", text, nullptr, false, true});
      }
    }
    return out;
  }

  // The names content can fill: slots that text questions capture, plan
  // lists and episode fields that nodes save.
  void CollectValueNames() {
    for (const Flow& flow : content_.flows) {
      for (const auto& [id, node] : flow.nodes) {
        if (node.expect.kind == Expectation::Kind::kText && !node.expect.slot.empty()) {
          slots_.insert(node.expect.slot);
        }
        for (const auto& [target, text] : node.save) {
          if (target.rfind("plan.", 0) == 0) plan_lists_.insert(target.substr(5));
          if (target.rfind("episode.", 0) == 0) episode_fields_.insert(target.substr(8));
        }
      }
    }
  }

  // Why `name` can never have a value, or "" when it can. `in_line`: inside
  // an episode_line; `for_requires`: the names a node's `requires` may add.
  std::string UnknownName(const std::string& name, const Node* node, bool in_line,
                          bool for_requires) const {
    auto field_known = [&](const std::string& field, bool number_ok) {
      return field == "date" || (number_ok && field == "number") || episode_fields_.count(field);
    };
    if (name == "coach") return for_requires ? "'coach' always has a value" : "";
    if (name == "plan" || name == "last_episode") {
      return for_requires ? "" : "{" + name + "} is not a placeholder; name a part, like {" +
                                     name + (name == "plan" ? ".triggers}" : ".helped}");
    }
    if (name == "episodes") {
      if (for_requires) return "";
      if (in_line) return "{episodes} cannot appear inside an episode_line";
      if (node == nullptr || node->episode_line.empty()) {
        return "{episodes} needs the node to have an 'episode_line'";
      }
      return "";
    }
    if (name.rfind("plan.", 0) == 0) {
      return plan_lists_.count(name.substr(5)) ? ""
                                                : "no node saves plan list '" + name.substr(5) + "'";
    }
    if (name.rfind("last_episode.", 0) == 0) {
      return field_known(name.substr(13), false)
                 ? ""
                 : "no node saves episode field '" + name.substr(13) + "'";
    }
    if (name.rfind("episode.", 0) == 0) {
      if (!in_line) return "{" + name + "} is only for an 'episode_line'";
      return field_known(name.substr(8), true)
                 ? ""
                 : "no node saves episode field '" + name.substr(8) + "'";
    }
    if (name.find('.') == std::string::npos && slots_.count(name)) return "";
    return "'" + name + "' is not a slot, plan list, episode field or 'coach'";
  }

  void CheckPlaceholders() {
    CollectValueNames();
    for (const SaidText& said : AllSaidText()) {
      for (const Placeholder& p : FindPlaceholders(*said.text)) {
        std::string why = said.coach_only
                              ? (p.name == "coach" ? "" : "channel wording can use only {coach}")
                              : UnknownName(p.name, said.node, said.episode_line, false);
        if (!why.empty()) {
          Report(said.file, said.subject,
                 "unknown placeholder {" + p.name + "} in \"" + *said.text + "\": " + why);
        }
      }
    }
    for (const Flow& flow : content_.flows) {
      for (const auto& [id, node] : flow.nodes) {
        for (const std::string& name : node.requires_values) {
          std::string why = UnknownName(name, &node, false, true);
          if (!why.empty()) {
            Report(flow.source.file, NodeSubject(flow, id), "requires '" + name + "': " + why);
          }
        }
        for (const auto& [target, text] : node.save) {
          for (const Placeholder& p : FindPlaceholders(text)) {
            std::string why = UnknownName(p.name, nullptr, false, false);
            if (!why.empty()) {
              Report(flow.source.file, NodeSubject(flow, id),
                     "save '" + target + "' uses unknown placeholder {" + p.name + "}: " + why);
            }
          }
        }
        if (!node.episode_line.empty()) {
          bool used = false;
          for (const auto* phrasings : {&node.say, &node.reprompt}) {
            for (const auto& phrasing : *phrasings) {
              for (const std::string& text : phrasing) {
                for (const Placeholder& p : FindPlaceholders(text)) used |= p.name == "episodes";
              }
            }
          }
          if (!used) {
            Report(flow.source.file, NodeSubject(flow, id),
                   "has an 'episode_line' but says no {episodes}");
          }
        }
      }
    }
  }

  // A whole-word, case-insensitive search: "addict" is found in "an addict."
  // but not in "addiction".
  static bool ContainsWord(const std::string& text, const std::string& word) {
    auto lower = [](std::string s) {
      for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      return s;
    };
    const std::string haystack = lower(text);
    const std::string needle = lower(word);
    if (needle.empty()) return false;
    auto is_word = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
             static_cast<unsigned char>(c) >= 0x80;
    };
    for (size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1)) {
      const bool starts = at == 0 || !is_word(haystack[at - 1]);
      const size_t end = at + needle.size();
      const bool ends = end >= haystack.size() || !is_word(haystack[end]);
      if (starts && ends) return true;
    }
    return false;
  }

  void CheckStigmatizingWords() {
    if (content_.stigmatizing_words.empty()) return;
    for (const SaidText& said : AllSaidText()) {
      for (const StigmatizingWord& w : content_.stigmatizing_words) {
        if (!ContainsWord(*said.text, w.word)) continue;
        Report(said.file, said.subject,
               "says \"" + w.word + "\" (\"" + *said.text + "\"); kinder words: " + w.instead);
        problems_.back().warning = true;
      }
    }
  }

  // The resources a channel's help lists must exist. SMS keywords are single
  // words matched whole in any case, so they must be letters only and each in
  // one list; the words carriers require (STOP, START, HELP) must be there.
  void CheckChannels() {
    auto check_resources = [&](const std::string& file, const std::string& subject,
                               const std::vector<std::string>& ids) {
      for (const std::string& id : ids) {
        if (content_.FindResource(id) == nullptr) {
          Report(file, subject, "help_resources: resource '" + id + "' does not exist");
        }
      }
    };
    if (const auto& t = content_.channels.telegram) {
      check_resources(t->source.file, "channel 'telegram'", t->help_resources);
    }
    const auto& sms = content_.channels.sms;
    if (!sms) return;
    const std::string subject = "channel 'sms'";
    check_resources(sms->source.file, subject, sms->help_resources);
    std::map<std::string, std::string> seen;  // upper-case keyword -> its list
    const std::pair<const char*, const std::vector<std::string>*> lists[] = {
        {"stop_keywords", &sms->stop_keywords},
        {"start_keywords", &sms->start_keywords},
        {"help_keywords", &sms->help_keywords}};
    const char* required[] = {"STOP", "START", "HELP"};
    for (size_t i = 0; i < 3; ++i) {
      const std::string list = lists[i].first;
      bool has_required = false;
      for (const std::string& word : *lists[i].second) {
        std::string upper;
        bool letters = !word.empty();
        for (char c : word) {
          letters = letters && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
          upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        }
        if (!letters) {
          Report(sms->source.file, subject,
                 list + ": \"" + word + "\" must be one word of letters A-Z");
          continue;
        }
        has_required = has_required || upper == required[i];
        auto inserted = seen.emplace(upper, list);
        if (!inserted.second) {
          Report(sms->source.file, subject,
                 list + ": \"" + word + "\" is already in " + inserted.first->second);
        }
      }
      if (!has_required) {
        Report(sms->source.file, subject,
               list + " must include \"" + required[i] + "\" (carriers require it)");
      }
    }
  }

  std::set<std::string> slots_, plan_lists_, episode_fields_;

  const Engine& engine_;
  const Content& content_;
  const ValidateOptions& options_;
  std::vector<ContentProblem> problems_;
};

}  // namespace

std::vector<ContentProblem> ValidateContent(const Engine& engine, const ValidateOptions& options) {
  return Validator(engine, options).Run();
}

}  // namespace steady

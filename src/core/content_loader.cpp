// LoadContent: reads the content folders into one Content and reports every
// structural problem it finds, not just the first.
//
// Loading runs in two passes. First every file is read and parsed as JSON; a
// file that cannot be read or has a syntax error makes the load fail (no
// Content), because nothing after that point can be trusted. Then every file's
// sections are checked against the schema in docs/content.md and merged into
// one Content. Schema problems (unknown fields, wrong types, duplicate ids)
// are reported but do not stop the load, so `steady validate` can go on to
// report the deeper problems too in one run.
//
// nlohmann::json throws; nothing here lets an exception escape.
// ValidateContent lives in content_validator.cpp.

#include "core/content_loader.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

namespace steady {

std::string ContentProblem::ToString() const {
  std::string out;
  for (const std::string* part : {&where, &subject, &message}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ": ";
    out += *part;
  }
  return out;
}

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// The two folders under the content root, read in this order.
constexpr const char* kFolders[] = {"intents", "dialogs"};

// The names each kind of object may hold (docs/content.md). Anything else is
// reported, so a typo such as "pattern" for "patterns" is not silently ignored.
constexpr const char* kSections[] = {"intents",          "flows",   "resources",
                                     "crisis_resources", "lexicon", "system"};
constexpr const char* kIntentFields[] = {"id",     "priority", "patterns",         "keywords",
                                         "unless", "examples", "counter_examples", "contextual",
                                         "crisis", "check_in", "after_risk_only"};
constexpr const char* kFlowFields[] = {"id", "triggers", "start", "nodes"};
constexpr const char* kNodeFields[] = {"id",        "say",          "reprompt",   "quick_replies",
                                       "resources", "enter_crisis", "end_crisis", "expect",
                                       "next"};
constexpr const char* kExpectFields[] = {"type", "yes", "no", "other", "routes", "slot"};
constexpr const char* kResourceFields[] = {"id",  "name", "phone",  "sms",
                                           "url", "text", "region", "last_verified"};
constexpr const char* kLexiconFields[] = {"contractions", "substitutions"};
constexpr const char* kSystemFields[] = {"greeting_flow", "fallback_flow", "resume_prefix",
                                         "crisis_mode_reminder"};

struct NameList {
  const char* const* names;
  size_t size;
  const char* const* begin() const { return names; }
  const char* const* end() const { return names + size; }
};

template <size_t N>
constexpr NameList Names(const char* const (&names)[N]) {
  return NameList{names, N};
}

// A JSON value's type as an author would say it.
const char* TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a decimal number";
    default:
      return "binary data";
  }
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The known name `name` is a near miss of ("pattern" for "patterns"), or
// nullptr.
const char* NearMiss(const std::string& name, NameList known) {
  const char* best = nullptr;
  size_t best_distance = 3;  // two edits at most: a plural, a dash, a swap
  for (const char* candidate : known) {
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance && distance < std::string(candidate).size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string CategoryList() {
  std::string out;
  for (CrisisCategory category : AllCrisisCategories()) {
    if (!out.empty()) out += ", ";
    out += CrisisCategoryName(category);
  }
  return out;
}

bool IsIntentId(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// A real calendar date written YYYY-MM-DD.
bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int year = std::stoi(s.substr(0, 4));
  int month = std::stoi(s.substr(5, 2));
  int day = std::stoi(s.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

// "end" -> kEnd, "flow:ID" -> kFlow, anything else -> kNode. Whether the node
// or flow exists is the validator's business.
bool ParseTarget(const std::string& text, Target* target, std::string* error) {
  static const std::string kFlowPrefix = "flow:";
  if (text.empty()) {
    *error = "is empty; write a node id, \"end\" or \"flow:ID\"";
    return false;
  }
  if (text == "end") {
    target->kind = Target::Kind::kEnd;
    target->id.clear();
  } else if (text.compare(0, kFlowPrefix.size(), kFlowPrefix) == 0) {
    target->kind = Target::Kind::kFlow;
    target->id = text.substr(kFlowPrefix.size());
    if (target->id.empty()) {
      *error = "names no flow after \"flow:\"";
      return false;
    }
  } else {
    target->kind = Target::Kind::kNode;
    target->id = text;
  }
  return true;
}

// Collects problems, stamping each with the file being loaded.
class Reporter {
 public:
  explicit Reporter(std::vector<ContentProblem>* problems) : problems_(problems) {}

  void set_where(std::string where) { where_ = std::move(where); }
  const std::string& where() const { return where_; }

  void Add(std::string subject, std::string message) {
    problems_->push_back(ContentProblem{where_, std::move(subject), std::move(message)});
  }

 private:
  std::vector<ContentProblem>* problems_;
  std::string where_;
};

// Typed access to the fields of one JSON object. Every reader reports a
// value of the wrong type (naming the field, what it must be and what it
// is) and carries on, so one bad field never hides the others. Readers
// return true when the field is present and well-typed.
class Fields {
 public:
  // `prefix` is put before field names in messages: "expect." gives
  // "'expect.slot' must be a string".
  Fields(const Json& object, std::string subject, Reporter* reporter, std::string prefix = "")
      : object_(object),
        subject_(std::move(subject)),
        prefix_(std::move(prefix)),
        reporter_(reporter) {}

  void set_subject(std::string subject) { subject_ = std::move(subject); }
  const std::string& subject() const { return subject_; }

  void Report(std::string message) { reporter_->Add(subject_, std::move(message)); }

  // Reports every field not in `known`.
  void CheckKnown(NameList known) {
    for (const auto& item : object_.items()) {
      bool found = false;
      for (const char* name : known) found = found || item.key() == name;
      if (!found) {
        const char* meant = NearMiss(item.key(), known);
        Report("unknown field " + Name(item.key()) +
               (meant ? "; did you mean " + Name(meant) + "?" : ""));
      }
    }
  }

  const Json* Find(const char* name) const {
    auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }
  bool Has(const char* name) const { return Find(name) != nullptr; }

  // Quotes a field name with the prefix: "'expect.slot'".
  std::string Name(const std::string& field) const { return Quote(prefix_ + field); }

  void WrongType(const std::string& field, const char* expected, const Json& got) {
    Report(Name(field) + " must be " + expected + ", not " + TypeName(got));
  }

  bool String(const char* name, std::string* out) {
    const Json* value = Find(name);
    if (value == nullptr) return false;
    if (!value->is_string()) {
      WrongType(name, "a string", *value);
      return false;
    }
    *out = value->get_ref<const std::string&>();
    return true;
  }

  // A string that must be present and not empty.
  bool RequiredString(const char* name, std::string* out) {
    if (!Has(name)) {
      Report("missing required field " + Name(name));
      return false;
    }
    if (!String(name, out)) return false;
    if (out->empty()) {
      Report(Name(name) + " is empty");
      return false;
    }
    return true;
  }

  bool Bool(const char* name, bool* out) {
    const Json* value = Find(name);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      WrongType(name, "true or false", *value);
      return false;
    }
    *out = value->get<bool>();
    return true;
  }

  bool Int(const char* name, int* out) {
    const Json* value = Find(name);
    if (value == nullptr) return false;
    if (!value->is_number_integer()) {
      WrongType(name, "an integer", *value);
      return false;
    }
    bool fits =
        value->is_number_unsigned()
            ? value->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int>::max())
            : value->get<int64_t>() >= std::numeric_limits<int>::min() &&
                  value->get<int64_t>() <= std::numeric_limits<int>::max();
    if (!fits) {
      Report(Name(name) + " is out of range");
      return false;
    }
    *out = static_cast<int>(value->get<int64_t>());
    return true;
  }

  // An array of strings. Non-string items are reported (once per field) and
  // skipped; the strings are kept.
  bool Strings(const char* name, std::vector<std::string>* out) {
    const Json* value = Find(name);
    if (value == nullptr) return false;
    return StringArray(*value, name, out);
  }

  bool StringArray(const Json& value, const std::string& name, std::vector<std::string>* out) {
    if (!value.is_array()) {
      WrongType(name, "an array of strings", value);
      return false;
    }
    std::vector<std::string> strings;
    bool ok = true;
    for (size_t i = 0; i < value.size(); ++i) {
      const Json& item = value[i];
      if (item.is_string()) {
        strings.push_back(item.get<std::string>());
      } else if (ok) {
        Report(Name(name) + " must be an array of strings; item " + std::to_string(i + 1) + " is " +
               TypeName(item));
        ok = false;
      }
    }
    *out = std::move(strings);
    return ok;
  }

  // A crisis category name. null means none, as an author would expect.
  bool Category(const char* name, std::optional<CrisisCategory>* out) {
    const Json* value = Find(name);
    if (value == nullptr || value->is_null()) return false;
    if (!value->is_string()) {
      WrongType(name, "a crisis category name", *value);
      return false;
    }
    const std::string& text = value->get_ref<const std::string&>();
    std::optional<CrisisCategory> category = ParseCrisisCategory(text);
    if (!category) {
      Report(Name(name) + ": unknown crisis category " + Quote(text) + " (expected one of " +
             CategoryList() + ")");
      return false;
    }
    *out = category;
    return true;
  }

  bool TargetField(const char* name, Target* out) {
    const Json* value = Find(name);
    if (value == nullptr) return false;
    return TargetValue(*value, name, out);
  }

  bool TargetValue(const Json& value, const std::string& name, Target* out) {
    if (!value.is_string()) {
      WrongType(name, "a target (a node id, \"end\" or \"flow:ID\")", value);
      return false;
    }
    std::string error;
    if (!ParseTarget(value.get_ref<const std::string&>(), out, &error)) {
      Report("target " + Name(name) + " " + error);
      return false;
    }
    return true;
  }

 private:
  const Json& object_;
  std::string subject_;
  std::string prefix_;
  Reporter* reporter_;
};

// Builds one Content from the parsed files, one file at a time, and
// remembers where each id was first defined to report duplicates.
class ContentBuilder {
 public:
  ContentBuilder(Content* content, std::vector<ContentProblem>* problems)
      : content_(content), reporter_(problems) {}

  void AddFile(const std::string& where, const Json& doc) {
    reporter_.set_where(where);
    if (!doc.is_object()) {
      reporter_.Add("", std::string("a content file must hold one JSON object of sections, not ") +
                            TypeName(doc));
      return;
    }
    for (const auto& section : doc.items()) {
      const std::string& name = section.key();
      const Json& value = section.value();
      if (name == "intents") {
        ForEachObject(value, "intents", "intent", &ContentBuilder::AddIntent);
      } else if (name == "flows") {
        ForEachObject(value, "flows", "flow", &ContentBuilder::AddFlow);
      } else if (name == "resources") {
        ForEachObject(value, "resources", "resource", &ContentBuilder::AddResource);
      } else if (name == "crisis_resources") {
        AddCrisisResources(value);
      } else if (name == "lexicon") {
        AddLexicon(value);
      } else if (name == "system") {
        AddSystem(value);
      } else {
        const char* meant = NearMiss(name, Names(kSections));
        reporter_.Add("", "unknown section " + Quote(name) +
                              (meant ? "; did you mean " + Quote(meant) + "?"
                                     : " (sections are intents, flows, resources, "
                                       "crisis_resources, lexicon, system)"));
      }
    }
  }

 private:
  using AddItem = void (ContentBuilder::*)(const Json& item, const std::string& subject);

  // Checks that a section is an array of objects and calls `add` for each
  // object with a subject naming its 1-based position ("intent #3") until
  // its id is known.
  void ForEachObject(const Json& section, const char* section_name, const char* item_name,
                     AddItem add) {
    if (!section.is_array()) {
      reporter_.Add(
          "", "section " + Quote(section_name) + " must be an array, not " + TypeName(section));
      return;
    }
    for (size_t i = 0; i < section.size(); ++i) {
      std::string subject = std::string(item_name) + " #" + std::to_string(i + 1);
      if (!section[i].is_object()) {
        reporter_.Add(subject, std::string("must be an object, not ") + TypeName(section[i]));
        continue;
      }
      (this->*add)(section[i], subject);
    }
  }

  // Reads the required "id" and renames the subject after it. Returns false
  // when there is no usable id.
  static bool ReadId(Fields* fields, const std::string& kind, std::string* id) {
    if (!fields->RequiredString("id", id)) return false;
    fields->set_subject(kind + " " + Quote(*id));
    return true;
  }

  // True the first time `id` is seen; after that reports it as a duplicate.
  bool FirstDefinition(std::map<std::string, std::string>* seen, const std::string& id,
                       Fields* fields, const char* kind) {
    auto inserted = seen->emplace(id, reporter_.where());
    if (inserted.second) return true;
    const std::string& first = inserted.first->second;
    fields->Report(std::string("duplicate ") + kind + " id; first defined in " +
                   (first == reporter_.where() ? "this file" : first));
    return false;
  }

  void AddIntent(const Json& item, const std::string& subject) {
    Fields fields(item, subject, &reporter_);
    Intent intent;
    intent.source.file = reporter_.where();
    bool has_id = ReadId(&fields, "intent", &intent.id);
    if (has_id && !IsIntentId(intent.id)) {
      fields.Report("id may use only a-z, 0-9, '_' and '.'");
    }
    fields.CheckKnown(Names(kIntentFields));

    fields.Int("priority", &intent.priority);
    bool patterns_ok = fields.Strings("patterns", &intent.patterns) || !fields.Has("patterns");
    bool keywords_ok = fields.Strings("keywords", &intent.keywords) || !fields.Has("keywords");
    fields.Strings("unless", &intent.unless);
    fields.Strings("examples", &intent.examples);
    fields.Strings("counter_examples", &intent.counter_examples);
    fields.Bool("contextual", &intent.contextual);
    fields.Category("crisis", &intent.crisis);
    fields.Bool("check_in", &intent.check_in);
    fields.Bool("after_risk_only", &intent.after_risk_only);

    // A badly typed field was reported already; don't pile on.
    if (patterns_ok && keywords_ok && intent.patterns.empty() && intent.keywords.empty()) {
      fields.Report("needs at least one of 'patterns' or 'keywords'");
    }
    if (intent.check_in && intent.crisis) {
      fields.Report(
          "is either a crisis category or the check-in, not both: the check-in "
          "leaves 'crisis' null");
    }
    if (intent.after_risk_only && !intent.crisis && !intent.check_in) {
      fields.Report("'after_risk_only' applies only to crisis intents");
    }
    if (has_id && FirstDefinition(&intent_files_, intent.id, &fields, "intent")) {
      content_->intents.push_back(std::move(intent));
    }
  }

  void AddFlow(const Json& item, const std::string& subject) {
    Fields fields(item, subject, &reporter_);
    Flow flow;
    flow.source.file = reporter_.where();
    bool has_id = ReadId(&fields, "flow", &flow.id);
    fields.CheckKnown(Names(kFlowFields));
    fields.Strings("triggers", &flow.triggers);
    fields.RequiredString("start", &flow.start);
    AddNodes(&fields, &flow);
    if (has_id && FirstDefinition(&flow_files_, flow.id, &fields, "flow")) {
      content_->flows.push_back(std::move(flow));
    }
  }

  void AddNodes(Fields* flow_fields, Flow* flow) {
    const Json* nodes = flow_fields->Find("nodes");
    if (nodes == nullptr) {
      flow_fields->Report("missing required field 'nodes'");
      return;
    }
    if (!nodes->is_array()) {
      flow_fields->WrongType("nodes", "an array of nodes", *nodes);
      return;
    }
    if (nodes->empty()) {
      flow_fields->Report("'nodes' is empty");
      return;
    }
    for (size_t i = 0; i < nodes->size(); ++i) {
      const Json& item = (*nodes)[i];
      std::string subject = flow_fields->subject() + " node #" + std::to_string(i + 1);
      if (!item.is_object()) {
        reporter_.Add(subject, std::string("must be an object, not ") + TypeName(item));
        continue;
      }
      Fields fields(item, subject, &reporter_);
      Node node;
      bool has_id = fields.RequiredString("id", &node.id);
      if (has_id) {
        fields.set_subject(flow_fields->subject() + " node " + Quote(node.id));
        // These read as targets, so a node with such an id could never be reached.
        if (node.id == "end" || node.id.compare(0, 5, "flow:") == 0) {
          fields.Report("a node may not be called \"end\" or start with \"flow:\"");
        }
      }
      fields.CheckKnown(Names(kNodeFields));
      ReadNode(&fields, &node);
      if (!has_id) continue;
      if (flow->nodes.count(node.id) != 0) {
        fields.Report("duplicate node id in this flow");
        continue;
      }
      std::string id = node.id;
      flow->nodes.emplace(std::move(id), std::move(node));
    }
  }

  void ReadNode(Fields* fields, Node* node) {
    if (!fields->Has("say")) {
      fields->Report("missing required field 'say'");
    } else if (ReadPhrasings(fields, "say", &node->say) && node->say.empty()) {
      fields->Report("'say' needs at least one phrasing");
    }
    ReadPhrasings(fields, "reprompt", &node->reprompt);
    fields->Strings("quick_replies", &node->quick_replies);
    fields->Strings("resources", &node->resources);
    fields->Category("enter_crisis", &node->enter_crisis);
    fields->Bool("end_crisis", &node->end_crisis);
    if (const Json* expect = fields->Find("expect")) {
      ReadExpect(*expect, fields->subject(), &node->expect);
    }
    fields->TargetField("next", &node->next);

    // Only nodes that wait for nothing or capture text go on to `next`;
    // a question's answers go where its routes say.
    Expectation::Kind kind = node->expect.kind;
    if (fields->Has("next") &&
        (kind == Expectation::Kind::kYesNo || kind == Expectation::Kind::kIntent)) {
      fields->Report(
          "'next' does not apply to a node that expects an answer; use the "
          "expect's routes (and 'other')");
    }
  }

  // A list of phrasings; each is a string (one message) or an array of
  // strings (messages sent in a row).
  bool ReadPhrasings(Fields* fields, const char* name, std::vector<std::vector<std::string>>* out) {
    const Json* value = fields->Find(name);
    if (value == nullptr) return false;
    if (!value->is_array()) {
      fields->WrongType(name, "an array of phrasings", *value);
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < value->size(); ++i) {
      const Json& item = (*value)[i];
      // "say[2]": the second phrasing of "say".
      std::string element = std::string(name) + "[" + std::to_string(i + 1) + "]";
      if (item.is_string()) {
        out->push_back({item.get<std::string>()});
        continue;
      }
      std::vector<std::string> messages;
      if (!item.is_array()) {
        fields->WrongType(element, "a string or an array of strings", item);
        ok = false;
        continue;
      }
      if (!fields->StringArray(item, element, &messages)) {
        ok = false;
        continue;
      }
      if (messages.empty()) {
        fields->Report(fields->Name(element) + " is an empty array");
        ok = false;
        continue;
      }
      out->push_back(std::move(messages));
    }
    return ok;
  }

  void ReadExpect(const Json& value, const std::string& subject, Expectation* expect) {
    Fields fields(value, subject, &reporter_, "expect.");
    if (!value.is_object()) {
      reporter_.Add(subject, std::string("'expect' must be an object, not ") + TypeName(value));
      return;
    }
    fields.CheckKnown(Names(kExpectFields));

    using Kind = Expectation::Kind;
    std::string type;
    bool known_type = false;
    if (!fields.Has("type")) {
      fields.Report("'expect' needs a 'type': none, yes_no, intent or text");
    } else if (fields.String("type", &type)) {
      static const std::pair<const char*, Kind> kTypes[] = {{"none", Kind::kNothing},
                                                            {"yes_no", Kind::kYesNo},
                                                            {"intent", Kind::kIntent},
                                                            {"text", Kind::kText}};
      for (const auto& entry : kTypes) {
        if (type == entry.first) {
          expect->kind = entry.second;
          known_type = true;
        }
      }
      if (!known_type) {
        fields.Report("unknown expect type " + Quote(type) +
                      " (expected none, yes_no, intent or text)");
      }
    }

    fields.TargetField("yes", &expect->yes);
    fields.TargetField("no", &expect->no);
    fields.TargetField("other", &expect->other);
    fields.String("slot", &expect->slot);
    bool routes_ok = true;  // absent or an object
    if (const Json* routes = fields.Find("routes")) {
      if (!routes->is_object()) {
        fields.WrongType("routes", "an object of intent id -> target", *routes);
        routes_ok = false;
      } else {
        for (const auto& route : routes->items()) {
          Target target;
          if (fields.TargetValue(route.value(), "routes." + route.key(), &target)) {
            expect->routes[route.key()] = target;
          }
        }
      }
    }

    // Which fields make sense depends on the type; say so when one doesn't,
    // since the engine would silently ignore it.
    if (!known_type) return;
    Kind kind = expect->kind;
    auto only_for = [&fields](const char* field, const char* types) {
      if (fields.Has(field)) {
        fields.Report(fields.Name(field) + " applies only to expect type " + types);
      }
    };
    if (kind != Kind::kYesNo) {
      only_for("yes", "'yes_no'");
      only_for("no", "'yes_no'");
    }
    if (kind != Kind::kText) only_for("slot", "'text'");
    if (kind == Kind::kNothing || kind == Kind::kText) {
      only_for("routes", "'yes_no' or 'intent'");
      only_for("other", "'yes_no' or 'intent'");
    }
    if (kind == Kind::kText && expect->slot.empty()) {
      fields.Report("a 'text' expect needs a 'slot' to store the answer in");
    }
    const Json* routes = fields.Find("routes");
    if (kind == Kind::kIntent && routes_ok && (routes == nullptr || routes->empty())) {
      fields.Report("an 'intent' expect needs 'routes'");
    }
  }

  void AddResource(const Json& item, const std::string& subject) {
    Fields fields(item, subject, &reporter_);
    Resource resource;
    resource.source.file = reporter_.where();
    bool has_id = ReadId(&fields, "resource", &resource.id);
    fields.CheckKnown(Names(kResourceFields));
    fields.RequiredString("name", &resource.name);
    fields.String("phone", &resource.phone);
    fields.String("sms", &resource.sms);
    fields.String("url", &resource.url);
    fields.String("text", &resource.text);
    fields.String("region", &resource.region);
    if (fields.String("last_verified", &resource.last_verified) &&
        !IsDate(resource.last_verified)) {
      fields.Report("'last_verified' must be a date written YYYY-MM-DD, not " +
                    Quote(resource.last_verified));
    }
    if (has_id && FirstDefinition(&resource_files_, resource.id, &fields, "resource")) {
      content_->resources.push_back(std::move(resource));
    }
  }

  void AddCrisisResources(const Json& section) {
    Fields fields(section, "crisis_resources", &reporter_);
    if (!section.is_object()) {
      reporter_.Add("", std::string("section 'crisis_resources' must be an object of category "
                                    "-> resource ids, not ") +
                            TypeName(section));
      return;
    }
    for (const auto& entry : section.items()) {
      std::optional<CrisisCategory> category = ParseCrisisCategory(entry.key());
      if (!category) {
        fields.Report("unknown crisis category " + Quote(entry.key()) + " (expected one of " +
                      CategoryList() + ")");
        continue;
      }
      std::vector<std::string> ids;
      if (!fields.StringArray(entry.value(), entry.key(), &ids)) continue;
      auto inserted = crisis_resource_files_.emplace(*category, reporter_.where());
      if (!inserted.second) {
        fields.Report("resources for " + Quote(entry.key()) + " are listed twice; first in " +
                      inserted.first->second);
        continue;
      }
      content_->crisis_resources[*category] = std::move(ids);
    }
  }

  void AddLexicon(const Json& section) {
    if (!section.is_object()) {
      reporter_.Add("",
                    std::string("section 'lexicon' must be an object, not ") + TypeName(section));
      return;
    }
    Fields fields(section, "lexicon", &reporter_);
    fields.CheckKnown(Names(kLexiconFields));
    MergeRewrites(&fields, "contractions", "contraction", &content_->lexicon.contractions);
    MergeRewrites(&fields, "substitutions", "substitution", &content_->lexicon.substitutions);
  }

  // Merges a string -> string object into `out`. The same key with the same
  // value in two files is harmless; with different values one would silently
  // win, so it is a problem.
  void MergeRewrites(Fields* fields, const char* name, const char* kind,
                     std::map<std::string, std::string>* out) {
    const Json* value = fields->Find(name);
    if (value == nullptr) return;
    if (!value->is_object()) {
      fields->WrongType(name, "an object of string -> string", *value);
      return;
    }
    for (const auto& entry : value->items()) {
      if (!entry.value().is_string()) {
        fields->WrongType(std::string(name) + "." + entry.key(), "a string", entry.value());
        continue;
      }
      const std::string& replacement = entry.value().get_ref<const std::string&>();
      auto inserted = out->emplace(entry.key(), replacement);
      if (!inserted.second && inserted.first->second != replacement) {
        fields->Report(std::string(kind) + " " + Quote(entry.key()) +
                       " is defined twice with different values: " + Quote(inserted.first->second) +
                       " and " + Quote(replacement));
      }
    }
  }

  void AddSystem(const Json& section) {
    if (!section.is_object()) {
      reporter_.Add("",
                    std::string("section 'system' must be an object, not ") + TypeName(section));
      return;
    }
    Fields fields(section, "system", &reporter_);
    fields.CheckKnown(Names(kSystemFields));
    SystemContent& system = content_->system;
    // Files may share the system section out, but each field is set once.
    for (const char* name : kSystemFields) {
      if (!fields.Has(name)) continue;
      auto inserted = system_files_.emplace(name, reporter_.where());
      if (!inserted.second) {
        fields.Report(fields.Name(name) + " is already set in " + inserted.first->second);
        continue;
      }
      std::string field = name;
      if (field == "greeting_flow") {
        fields.String(name, &system.greeting_flow);
      } else if (field == "fallback_flow") {
        fields.String(name, &system.fallback_flow);
      } else if (field == "resume_prefix") {
        fields.Strings(name, &system.resume_prefix);
      } else {
        fields.Strings(name, &system.crisis_mode_reminder);
      }
    }
  }

  Content* content_;
  Reporter reporter_;
  // Id -> the file that first defined it.
  std::map<std::string, std::string> intent_files_;
  std::map<std::string, std::string> flow_files_;
  std::map<std::string, std::string> resource_files_;
  std::map<CrisisCategory, std::string> crisis_resource_files_;
  std::map<std::string, std::string> system_files_;
};

// 1-based line and column of the byte at `offset`, columns counted in
// characters (UTF-8 code points) as editors show them.
std::pair<size_t, size_t> LineAndColumn(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  // A byte-order mark is skipped by the parser and invisible in editors.
  if (line == 1 && text.compare(0, 3, "\xEF\xBB\xBF") == 0)
    line_start = std::min<size_t>(3, offset);
  size_t column = 1;
  for (size_t i = line_start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

// nlohmann's messages start "[json.exception.parse_error.101] parse error at
// line 3, column 1: "; the position is reported separately (computed from
// the byte offset), so keep only what went wrong.
std::string ShortReason(const std::string& what) {
  std::string reason = what;
  if (!reason.empty() && reason[0] == '[') {
    size_t close = reason.find("] ");
    if (close != std::string::npos) reason = reason.substr(close + 2);
  }
  static const std::string kParseError = "parse error";
  if (reason.compare(0, kParseError.size(), kParseError) == 0) {
    size_t colon = reason.find(": ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
  }
  return reason;
}

// A trailing comma is the commonest JSON slip; nlohmann's message for it
// ("unexpected '}'") does not say so.
std::string TrailingCommaHint(const std::string& text, size_t offset) {
  if (offset >= text.size() || (text[offset] != '}' && text[offset] != ']')) return "";
  size_t i = offset;
  while (i > 0 && std::isspace(static_cast<unsigned char>(text[i - 1]))) --i;
  if (i > 0 && text[i - 1] == ',') return " (is there a comma after the last item?)";
  return "";
}

struct ContentFile {
  std::string where;  // relative to the root: "intents/core.json"
  Json doc;
  // Keys written twice in one object. JSON keeps only the last, so a second
  // "patterns" would silently drop the first; these are reported.
  std::vector<std::string> repeated_keys;
};

// Parses file->where's `text` into `file`; reports a syntax error with its
// line and column.
bool ParseFile(const std::string& text, ContentFile* file, std::vector<ContentProblem>* problems) {
  const std::string& where = file->where;
  std::vector<std::set<std::string>> open_objects;
  std::vector<std::string>& repeated = file->repeated_keys;
  Json::parser_callback_t callback = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        open_objects.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case Json::parse_event_t::key:
        if (const auto* key = parsed.get_ptr<const std::string*>()) {
          if (!open_objects.empty() && !open_objects.back().insert(*key).second) {
            repeated.push_back(*key);
          }
        }
        break;
      default:
        break;
    }
    return true;
  };
  try {
    file->doc = Json::parse(text, callback, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const Json::parse_error& e) {
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;  // e.byte is 1-based
    std::pair<size_t, size_t> position = LineAndColumn(text, offset);
    problems->push_back(ContentProblem{
        where + ":" + std::to_string(position.first) + ":" + std::to_string(position.second), "",
        ShortReason(e.what()) + TrailingCommaHint(text, offset)});
    return false;
  } catch (const Json::exception& e) {
    // Such as a number too large to represent; no position is known.
    problems->push_back(ContentProblem{where, "", ShortReason(e.what())});
    return false;
  }
  return true;
}

// Lists the *.json files of one folder, sorted by name. Reports and returns
// false when the folder cannot be listed.
bool ListJsonFiles(const fs::path& folder, const std::string& folder_name,
                   std::vector<std::string>* names, std::vector<ContentProblem>* problems) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    std::error_code type_ec;
    if (path.extension() == ".json" && it->is_regular_file(type_ec)) {
      names->push_back(path.filename().string());
    }
  }
  if (ec) {
    problems->push_back(
        ContentProblem{folder_name + "/", "", "cannot list folder: " + ec.message()});
    return false;
  }
  std::sort(names->begin(), names->end());
  return true;
}

bool ReadFile(const fs::path& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  *text = buffer.str();
  return true;
}

LoadResult Load(const std::string& root) {
  LoadResult result;
  std::error_code ec;
  // An empty root means the working directory, like ".".
  const fs::path root_path(root.empty() ? "." : root);
  if (!fs::is_directory(root_path, ec)) {
    result.missing_folder = true;
    result.problems.push_back(ContentProblem{
        root, "", fs::exists(root_path, ec) ? "is not a folder" : "content folder not found"});
    return result;
  }
  bool present[2] = {false, false};
  static_assert(sizeof(kFolders) / sizeof(kFolders[0]) == 2, "one flag per folder");
  for (size_t i = 0; i < 2; ++i) present[i] = fs::is_directory(root_path / kFolders[i], ec);
  if (!present[0] && !present[1]) {
    result.missing_folder = true;
    result.problems.push_back(ContentProblem{
        root, "", "has no intents/ or dialogs/ folder: is this the content folder?"});
    return result;
  }

  // Pass 1: read and parse everything.
  bool all_parsed = true;
  std::vector<ContentFile> files;
  for (size_t i = 0; i < 2; ++i) {
    const char* folder = kFolders[i];
    if (!present[i]) {
      result.problems.push_back(
          ContentProblem{std::string(folder) + "/", "", "folder not found in " + root});
      continue;
    }
    std::vector<std::string> names;
    if (!ListJsonFiles(root_path / folder, folder, &names, &result.problems)) {
      all_parsed = false;
      continue;
    }
    for (const std::string& name : names) {
      ContentFile file;
      file.where = std::string(folder) + "/" + name;
      std::string text;
      if (!ReadFile(root_path / folder / name, &text)) {
        result.problems.push_back(ContentProblem{file.where, "", "cannot read file"});
        all_parsed = false;
        continue;
      }
      if (!ParseFile(text, &file, &result.problems)) {
        all_parsed = false;
        continue;
      }
      files.push_back(std::move(file));
    }
  }
  if (!all_parsed) return result;

  // Pass 2: check the schema and merge.
  auto content = std::make_shared<Content>();
  content->root = root;
  ContentBuilder builder(content.get(), &result.problems);
  for (const ContentFile& file : files) {
    for (const std::string& key : file.repeated_keys) {
      result.problems.push_back(ContentProblem{
          file.where, "",
          "key " + Quote(key) + " appears twice in one object; only the last is kept"});
    }
    builder.AddFile(file.where, file.doc);
  }
  result.content = std::move(content);
  return result;
}

}  // namespace

LoadResult LoadContent(const std::string& root) {
  // Everything above reports problems as values; this is the backstop for
  // the unexpected (an allocation failure, a bug), because a loader that
  // throws would take the crisis fallback down with it.
  try {
    return Load(root);
  } catch (const std::exception& e) {
    LoadResult result;
    result.problems.push_back(
        ContentProblem{root, "", std::string("internal error while loading: ") + e.what()});
    return result;
  }
}

}  // namespace steady

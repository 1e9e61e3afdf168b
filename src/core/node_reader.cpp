// Reading a flow's nodes: what each says, what it waits for and where it
// goes next. The deepest part of the content schema (docs/content.md), kept
// apart from the sections ContentBuilder merges.
#include "core/node_reader.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace steady {
namespace loader_internal {
namespace {

// The names a node and its "expect" may hold (docs/content.md). Anything else
// is reported, so a typo is not silently ignored.
constexpr const char* kNodeFields[] = {
    "id",     "say",      "reprompt", "quick_replies", "resources", "enter_crisis", "end_crisis",
    "expect", "next",     "requires", "otherwise",     "action",    "save",         "episode_line"};

// A lowercase name: a plan list, an episode field, a slot.
bool IsValueName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// "plan.NAME" or "episode.NAME": where a node's `save` may write.
bool IsSaveTarget(const std::string& target) {
  for (const char* prefix : {"plan.", "episode."}) {
    const std::string p = prefix;
    if (target.compare(0, p.size(), p) == 0) return IsValueName(target.substr(p.size()));
  }
  return false;
}

// What the plan and episodes need from a node: `requires`, `otherwise`,
// `action`, `save` and `episode_line` (docs/content.md, "Plan and episodes").
void ReadMemoryFields(Fields* fields, Node* node) {
  if (const Json* value = fields->Find("requires")) {
    if (value->is_string()) {
      node->requires_values.push_back(value->get<std::string>());
    } else {
      fields->Strings("requires", &node->requires_values);
    }
  }
  fields->TargetField("otherwise", &node->otherwise);
  if (!node->requires_values.empty() && node->otherwise.empty()) {
    fields->Report("'requires' needs an 'otherwise' target for when a value is empty");
  }
  if (node->requires_values.empty() && fields->Has("otherwise")) {
    fields->Report("'otherwise' applies only with 'requires'");
  }
  if (fields->String("action", &node->action)) {
    const auto& known = NodeActions();
    if (std::find(known.begin(), known.end(), node->action) == known.end()) {
      fields->Report("unknown action " + Quote(node->action) + " (known: record_episode)");
      node->action.clear();
    }
  }
  if (const Json* save = fields->Find("save")) {
    if (!save->is_object()) {
      fields->WrongType("save", "an object of \"plan.LIST\" or \"episode.FIELD\" -> text", *save);
    } else {
      for (const auto& entry : save->items()) {
        if (!IsSaveTarget(entry.key())) {
          fields->Report("'save' target " + Quote(entry.key()) +
                         " must be \"plan.NAME\" or \"episode.NAME\" (lowercase, digits, '_')");
          continue;
        }
        if (!entry.value().is_string()) {
          fields->WrongType("save." + entry.key(), "a string", entry.value());
          continue;
        }
        node->save.emplace_back(entry.key(), entry.value().get<std::string>());
      }
    }
  }
  fields->String("episode_line", &node->episode_line);
}
constexpr const char* kExpectFields[] = {"type", "yes", "no", "other", "routes", "slot"};

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

// Reads a node's "expect" object; which fields it may hold depends on its
// type.
void ReadExpect(const Json& value, const std::string& subject, Reporter* reporter,
                Expectation* expect) {
  Fields fields(value, subject, reporter, "expect.");
  if (!value.is_object()) {
    reporter->Add(subject, std::string("'expect' must be an object, not ") + TypeName(value));
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
  // A text question may route a few intents ("skip") past its slot.
  if (kind == Kind::kNothing) only_for("routes", "'yes_no', 'intent' or 'text'");
  if (kind == Kind::kNothing || kind == Kind::kText) only_for("other", "'yes_no' or 'intent'");
  if (kind == Kind::kText && expect->slot.empty()) {
    fields.Report("a 'text' expect needs a 'slot' to store the answer in");
  }
  const Json* routes = fields.Find("routes");
  if (kind == Kind::kIntent && routes_ok && (routes == nullptr || routes->empty())) {
    fields.Report("an 'intent' expect needs 'routes'");
  }
}

void ReadNode(Fields* fields, Reporter* reporter, Node* node) {
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
    ReadExpect(*expect, fields->subject(), reporter, &node->expect);
  }
  fields->TargetField("next", &node->next);
  ReadMemoryFields(fields, node);

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

}  // namespace

void ReadNodes(Fields* flow_fields, Reporter* reporter, Flow* flow) {
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
      reporter->Add(subject, std::string("must be an object, not ") + TypeName(item));
      continue;
    }
    Fields fields(item, subject, reporter);
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
    ReadNode(&fields, reporter, &node);
    if (!has_id) continue;
    if (flow->nodes.count(node.id) != 0) {
      fields.Report("duplicate node id in this flow");
      continue;
    }
    std::string id = node.id;
    flow->nodes.emplace(std::move(id), std::move(node));
  }
}

}  // namespace loader_internal
}  // namespace steady

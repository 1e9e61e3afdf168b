// ContentBuilder: the schema of each section of a content file (intents,
// flows, resources, crisis_resources, lexicon, system; docs/content.md) and
// how files merge into one Content. A flow's nodes are read by
// node_reader.cpp.
#include "core/content_builder.h"

#include <optional>
#include <utility>

#include "core/node_reader.h"

namespace steady {
namespace loader_internal {
namespace {

// The names each kind of object may hold (docs/content.md). Anything else is
// reported, so a typo such as "pattern" for "patterns" is not silently ignored.
constexpr const char* kSections[] = {"intents", "flows",  "resources",          "crisis_resources",
                                     "lexicon", "system", "stigmatizing_words", "channels"};
constexpr const char* kIntentFields[] = {"id",     "priority", "patterns",         "keywords",
                                         "unless", "examples", "counter_examples", "contextual",
                                         "crisis", "check_in", "after_risk_only"};
constexpr const char* kFlowFields[] = {"id", "triggers", "start", "nodes"};
constexpr const char* kResourceFields[] = {"id",  "name", "phone",  "sms",
                                           "url", "text", "region", "last_verified"};
constexpr const char* kLexiconFields[] = {"contractions", "substitutions"};
constexpr const char* kSystemFields[] = {"greeting_flow", "fallback_flow", "resume_prefix",
                                         "crisis_mode_reminder", "coach_name"};
constexpr const char* kStigmatizingWordFields[] = {"word", "instead"};
constexpr const char* kChannelNames[] = {"telegram", "sms"};
constexpr const char* kTelegramFields[] = {"help", "help_resources", "not_text", "deleted",
                                           "private_only"};
constexpr const char* kSmsFields[] = {"intro",         "help",           "help_resources",
                                      "not_text",      "stopped",        "quick_reply_hint",
                                      "unavailable",   "stop_keywords",  "start_keywords",
                                      "help_keywords"};

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

}  // namespace

void ContentBuilder::AddFile(const std::string& where, const Json& doc) {
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
    } else if (name == "stigmatizing_words") {
      ForEachObject(value, "stigmatizing_words", "stigmatizing word",
                    &ContentBuilder::AddStigmatizingWord);
    } else if (name == "channels") {
      AddChannels(value);
    } else {
      const char* meant = NearMiss(name, Names(kSections));
      reporter_.Add("", "unknown section " + Quote(name) +
                            (meant ? "; did you mean " + Quote(meant) + "?"
                                   : " (sections are intents, flows, resources, "
                                     "crisis_resources, lexicon, system, stigmatizing_words, "
                                     "channels)"));
    }
  }
}

// Checks that a section is an array of objects and calls `add` for each
// object with a subject naming its 1-based position ("intent #3") until
// its id is known.
void ContentBuilder::ForEachObject(const Json& section, const char* section_name,
                                   const char* item_name, AddItem add) {
  if (!section.is_array()) {
    reporter_.Add("",
                  "section " + Quote(section_name) + " must be an array, not " + TypeName(section));
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
bool ContentBuilder::ReadId(Fields* fields, const std::string& kind, std::string* id) {
  if (!fields->RequiredString("id", id)) return false;
  fields->set_subject(kind + " " + Quote(*id));
  return true;
}

// True the first time `id` is seen; after that reports it as a duplicate.
bool ContentBuilder::FirstDefinition(std::map<std::string, std::string>* seen,
                                     const std::string& id, Fields* fields, const char* kind) {
  auto inserted = seen->emplace(id, reporter_.where());
  if (inserted.second) return true;
  const std::string& first = inserted.first->second;
  fields->Report(std::string("duplicate ") + kind + " id; first defined in " +
                 (first == reporter_.where() ? "this file" : first));
  return false;
}

void ContentBuilder::AddIntent(const Json& item, const std::string& subject) {
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

void ContentBuilder::AddFlow(const Json& item, const std::string& subject) {
  Fields fields(item, subject, &reporter_);
  Flow flow;
  flow.source.file = reporter_.where();
  bool has_id = ReadId(&fields, "flow", &flow.id);
  fields.CheckKnown(Names(kFlowFields));
  fields.Strings("triggers", &flow.triggers);
  fields.RequiredString("start", &flow.start);
  ReadNodes(&fields, &reporter_, &flow);
  if (has_id && FirstDefinition(&flow_files_, flow.id, &fields, "flow")) {
    content_->flows.push_back(std::move(flow));
  }
}

void ContentBuilder::AddResource(const Json& item, const std::string& subject) {
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
  if (fields.String("last_verified", &resource.last_verified) && !IsDate(resource.last_verified)) {
    fields.Report("'last_verified' must be a date written YYYY-MM-DD, not " +
                  Quote(resource.last_verified));
  }
  if (has_id && FirstDefinition(&resource_files_, resource.id, &fields, "resource")) {
    content_->resources.push_back(std::move(resource));
  }
}

void ContentBuilder::AddCrisisResources(const Json& section) {
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

void ContentBuilder::AddLexicon(const Json& section) {
  if (!section.is_object()) {
    reporter_.Add("", std::string("section 'lexicon' must be an object, not ") + TypeName(section));
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
void ContentBuilder::MergeRewrites(Fields* fields, const char* name, const char* kind,
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

void ContentBuilder::AddSystem(const Json& section) {
  if (!section.is_object()) {
    reporter_.Add("", std::string("section 'system' must be an object, not ") + TypeName(section));
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
    } else if (field == "coach_name") {
      if (fields.String(name, &system.coach_name) && system.coach_name.empty()) {
        fields.Report("'coach_name' must not be empty");
        system.coach_name = "Coach";
      }
    } else {
      fields.Strings(name, &system.crisis_mode_reminder);
    }
  }
}

void ContentBuilder::AddStigmatizingWord(const Json& item, const std::string& subject) {
  Fields fields(item, subject, &reporter_);
  fields.CheckKnown(Names(kStigmatizingWordFields));
  StigmatizingWord entry;
  entry.source.file = reporter_.where();
  if (!fields.RequiredString("word", &entry.word)) return;
  fields.set_subject("stigmatizing word " + Quote(entry.word));
  fields.RequiredString("instead", &entry.instead);
  for (const StigmatizingWord& seen : content_->stigmatizing_words) {
    if (seen.word == entry.word) {
      fields.Report("listed twice; first in " + seen.source.file);
      return;
    }
  }
  content_->stigmatizing_words.push_back(std::move(entry));
}

// "channels": {"telegram": {...}, "sms": {...}}. Every field of a channel
// is required: an adapter must never be left without the words for STOP or
// HELP. Each channel may be defined once across all files.
void ContentBuilder::AddChannels(const Json& section) {
  if (!section.is_object()) {
    reporter_.Add("", std::string("section 'channels' must be an object of channel -> wording, "
                                  "not ") +
                          TypeName(section));
    return;
  }
  Fields channels(section, "channels", &reporter_);
  channels.CheckKnown(Names(kChannelNames));
  for (const char* name : kChannelNames) {
    const Json* value = channels.Find(name);
    if (value == nullptr) continue;
    const std::string subject = std::string("channel ") + Quote(name);
    if (!value->is_object()) {
      reporter_.Add(subject, std::string("must be an object, not ") + TypeName(*value));
      continue;
    }
    auto inserted = channel_files_.emplace(name, reporter_.where());
    if (!inserted.second) {
      reporter_.Add(subject, "is already defined in " + inserted.first->second);
      continue;
    }
    Fields fields(*value, subject, &reporter_);
    auto required_list = [&fields](const char* field, std::vector<std::string>* out) {
      if (!fields.Has(field)) {
        fields.Report("missing required field " + fields.Name(field));
      } else if (fields.Strings(field, out) && out->empty()) {
        fields.Report(fields.Name(field) + " is empty");
      }
    };
    if (std::string(name) == "telegram") {
      fields.CheckKnown(Names(kTelegramFields));
      TelegramWording wording;
      wording.source.file = reporter_.where();
      fields.RequiredString("help", &wording.help);
      required_list("help_resources", &wording.help_resources);
      fields.RequiredString("not_text", &wording.not_text);
      fields.RequiredString("deleted", &wording.deleted);
      fields.RequiredString("private_only", &wording.private_only);
      content_->channels.telegram = std::move(wording);
    } else {
      fields.CheckKnown(Names(kSmsFields));
      SmsWording wording;
      wording.source.file = reporter_.where();
      fields.RequiredString("intro", &wording.intro);
      fields.RequiredString("help", &wording.help);
      required_list("help_resources", &wording.help_resources);
      fields.RequiredString("not_text", &wording.not_text);
      fields.RequiredString("stopped", &wording.stopped);
      fields.RequiredString("quick_reply_hint", &wording.quick_reply_hint);
      fields.RequiredString("unavailable", &wording.unavailable);
      required_list("stop_keywords", &wording.stop_keywords);
      required_list("start_keywords", &wording.start_keywords);
      required_list("help_keywords", &wording.help_keywords);
      content_->channels.sms = std::move(wording);
    }
  }
}

}  // namespace loader_internal
}  // namespace steady

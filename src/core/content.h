// Content: everything Steady says and recognises, loaded once from the JSON
// files under intents/ and dialogs/ and immutable afterwards.
//
// The formats are documented for authors in docs/content.md. This header is
// the in-memory model the loader (content_loader.h) builds and the engine
// reads. A Content is immutable after loading and may be shared freely
// between threads.
#ifndef STEADY_CORE_CONTENT_H_
#define STEADY_CORE_CONTENT_H_

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace steady {

// The five categories of danger. The order of the enumerators is the order
// of precedence when several match: overdose first (911 first), then suicide,
// harm to others, abuse, self-harm (DESIGN.md, "Crisis routing").
enum class CrisisCategory { kOverdose, kSuicide, kHarmToOthers, kAbuse, kSelfHarm };

// "suicide", "self_harm", "overdose", "harm_to_others", "abuse".
const char* CrisisCategoryName(CrisisCategory category);
// Parses the names above; nullopt for anything else.
std::optional<CrisisCategory> ParseCrisisCategory(const std::string& name);
// All five, in order of precedence.
const std::vector<CrisisCategory>& AllCrisisCategories();

// Where a piece of content came from, for error messages: "intents/crisis.json".
struct SourceRef {
  std::string file;
};

// A recognisable meaning of a message, such as "lapse.disclosure".
struct Intent {
  std::string id;
  int priority = 0;                     // higher wins among ordinary intents
  std::vector<std::string> patterns;    // RE2 syntax, over normalized text
  std::vector<std::string> keywords;    // whole words or phrases, normalized at load
  std::vector<std::string> unless;      // RE2 patterns; any match vetoes the intent
  std::vector<std::string> examples;          // must make this intent win
  std::vector<std::string> counter_examples;  // must not match this intent

  // Crisis intents (intents/crisis.json) carry a category, or are the
  // ambiguous-risk check-in; they are checked before every ordinary intent.
  std::optional<CrisisCategory> crisis;
  bool check_in = false;  // "crisis.check_in": ambiguous risk, crisis stays null
  // Only active once the session has shown risk (a crisis or a check-in):
  // "how many pills would it take" after "I want to die".
  bool after_risk_only = false;

  // A contextual intent ("affirm", "deny") is only an answer to a question a
  // dialog node asked; it starts nothing by itself.
  bool contextual = false;

  SourceRef source;
};

// A helpline or service. Fields other than id and name are optional.
struct Resource {
  std::string id;    // "988"
  std::string name;  // "988 Suicide & Crisis Lifeline"
  std::string phone;
  std::string sms;
  std::string url;
  std::string text;           // the line shown in a text-only reply
  std::string region;         // "US"
  std::string last_verified;  // "YYYY-MM-DD"
  SourceRef source;
};

// Where a transition goes: a node of the same flow, the end of the flow
// ("end": the flow is popped and the interrupted one resumes), or the start
// of another flow ("flow:ID", which replaces the current one).
struct Target {
  enum class Kind { kNone, kNode, kEnd, kFlow };
  Kind kind = Kind::kNone;
  std::string id;  // node id for kNode, flow id for kFlow

  bool empty() const { return kind == Kind::kNone; }
};

// What a node waits for after it has spoken.
struct Expectation {
  enum class Kind {
    kNothing,  // the node says its piece; the flow goes on to `next` or ends
    kIntent,   // an answer among `routes` (intent id -> target), else `other`
    kYesNo,    // "affirm" -> yes, "deny" -> no, else other (routes may add more)
    kText,     // any text, stored in slot `slot`, then `next`
  };
  Kind kind = Kind::kNothing;
  std::map<std::string, Target> routes;  // intent id -> target
  Target yes;
  Target no;
  Target other;  // when the answer fits nothing above; empty: fallback + reprompt
  std::string slot;  // kText only
};

// One step of a flow: what to say and what to wait for.
struct Node {
  std::string id;
  // Phrasings; one is chosen per visit from the session seed. Each phrasing
  // is one or more messages, sent in order.
  std::vector<std::vector<std::string>> say;
  // Said instead of `say` when the flow resumes at this node after an
  // interruption; empty means say `say` again.
  std::vector<std::vector<std::string>> reprompt;
  std::vector<std::string> quick_replies;
  std::vector<std::string> resources;  // resource ids shown with this node
  std::optional<CrisisCategory> enter_crisis;  // entering puts the session in crisis mode
  bool end_crisis = false;                     // entering ends crisis mode
  Expectation expect;
  Target next;  // kNothing/kText: where to go after speaking/capturing

  // What the node remembers, applied on entering it, before it speaks
  // (docs/content.md, "Plan and episodes"):
  //   `requires`: values that must not be empty ("plan", "plan.triggers",
  //     "last_episode.helped", a slot name); when one is, the node is skipped
  //     and the flow goes to `otherwise` instead, saying nothing.
  //   `action`: "record_episode" starts a new lapse episode (when = now).
  //   `save`: target -> template; "plan.LIST" appends the rendered text to a
  //     plan list, "episode.FIELD" sets a field of the latest episode.
  std::vector<std::string> requires_values;
  Target otherwise;
  std::string action;  // "" or one of NodeActions()
  std::vector<std::pair<std::string, std::string>> save;  // by target name
  // How `{episodes}` renders one episode in this node's text; placeholders
  // `{episode.FIELD}`, `{episode.number}` and `{episode.date}`.
  std::string episode_line;
};

// The node actions the engine knows ("record_episode").
const std::vector<std::string>& NodeActions();

// A conversation flow: a graph of nodes, started by its trigger intents.
struct Flow {
  std::string id;
  std::vector<std::string> triggers;  // intent ids that start this flow
  std::string start;                  // id of the first node
  std::map<std::string, Node> nodes;
  SourceRef source;
};

// Engine-wide wording and wiring that is content, not code.
struct SystemContent {
  std::string greeting_flow = "greeting";  // flow a new session opens with
  std::string fallback_flow = "fallback";  // node "first" then "repeated"
  // Said before a reprompt when an interrupted flow resumes.
  std::vector<std::string> resume_prefix;
  // Said at the start of every turn while the session is in crisis mode and
  // the turn is not already a crisis reply: keeps help in reach.
  std::vector<std::string> crisis_mode_reminder;
  // The coach's name, `{coach}` in any text.
  std::string coach_name = "Coach";
};

// A word or phrase that labels or shames people, with a kinder one to use.
// `steady validate` warns when reply text uses it (dialogs/language.json).
struct StigmatizingWord {
  std::string word;     // whole word or phrase, any case: "addict"
  std::string instead;  // "person with a substance use disorder"
  SourceRef source;
};

// What a messaging channel says that is not coaching (dialogs/channels.json;
// docs/content.md, "Channels"): what the service is, how to get help, and
// the answers to the platform's own commands. Any text may use {coach}.
// Every field is required when the channel is present; the adapters
// (src/adapters/) refuse to start without the wording of their channel.
struct TelegramWording {
  std::string help;                         // /help: what this is; `help_resources` follow
  std::vector<std::string> help_resources;  // resource ids, listed after `help`
  std::string not_text;                     // a photo, sticker or voice note came
  std::string deleted;                      // /delete erased the conversation
  std::string private_only;                 // a message in a group chat
  SourceRef source;
};

struct SmsWording {
  // Before the first reply of a conversation, and the answer to START.
  std::string intro;
  std::string help;                         // HELP: what this number is; `help_resources` follow
  std::vector<std::string> help_resources;  // resource ids, listed after `help`
  std::string not_text;                     // a picture or other media without text came
  std::string stopped;                      // STOP: erased, nothing more until START
  std::string quick_reply_hint;             // before the numbered quick replies
  std::string unavailable;                  // the message could not be answered now
  // Whole-message keywords, any letter case: STOP and its synonyms, START
  // and its synonyms, HELP and its synonyms.
  std::vector<std::string> stop_keywords;
  std::vector<std::string> start_keywords;
  std::vector<std::string> help_keywords;
  SourceRef source;
};

struct ChannelsContent {
  std::optional<TelegramWording> telegram;
  std::optional<SmsWording> sms;
};

// The normalization lexicon (intents/lexicon.json).
struct Lexicon {
  // Whole-token rewrites applied before apostrophes are dropped:
  // "i'm" -> "i am", "gonna" -> "going to".
  std::map<std::string, std::string> contractions;
  // Word or phrase rewrites applied last: "kms" -> "kill myself".
  std::map<std::string, std::string> substitutions;
};

// Everything loaded. Immutable once built; share by const reference or
// shared_ptr<const Content>.
struct Content {
  std::vector<Intent> intents;  // in load order
  std::vector<Flow> flows;
  std::vector<Resource> resources;
  // Category -> resource ids, in the order they are shown.
  std::map<CrisisCategory, std::vector<std::string>> crisis_resources;
  Lexicon lexicon;
  SystemContent system;
  std::vector<StigmatizingWord> stigmatizing_words;
  ChannelsContent channels;
  std::string root;  // the folder holding intents/ and dialogs/

  const Intent* FindIntent(const std::string& id) const;
  const Flow* FindFlow(const std::string& id) const;
  const Resource* FindResource(const std::string& id) const;
  // The flow an intent starts, or nullptr.
  const Flow* FlowTriggeredBy(const std::string& intent_id) const;

  // Builds the id -> position tables the lookups above use, so a turn costs
  // the same with 50 or 5,000 intents. Call after the vectors are final (the
  // engine does). Without it, or for an id added later, lookups scan; a
  // table entry is only trusted when the element at its position still
  // has that id, so a stale table is slow, never wrong.
  void BuildIndex();

  struct Index {
    std::unordered_map<std::string, size_t> intents, flows, resources, triggers;
  };
  Index index;
};

}  // namespace steady

#endif  // STEADY_CORE_CONTENT_H_

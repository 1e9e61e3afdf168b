// DialogStep: moves one session through its flows for one message.
//
// Internal to the engine (engine.cpp builds one per turn). It owns no data:
// it edits the Turn it is given, whose `state` starts as the session's state.
// Everything it says comes from Content; it never invents text.
#ifndef STEADY_CORE_DIALOG_H_
#define STEADY_CORE_DIALOG_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/content.h"
#include "core/engine.h"

namespace steady {

class DialogStep {
 public:
  // `content`, `options` and `turn` must outlive the step.
  DialogStep(const Content& content, const EngineOptions& options, const TurnContext& context,
             Turn* turn)
      : content_(content), options_(options), context_(context), turn_(turn),
        state_(turn->state) {}

  // Opens a new session with the greeting flow.
  void Open();

  // Handles one message whose matches are known. `text` is the message as
  // typed (trimmed), captured into slots as is.
  void Handle(std::string_view text, const MatchResult& matches);

  // After Open() or Handle(): crisis-mode resources and reminder, quick
  // replies on the last message, debug position.
  void Finish();

 private:
  // Content::FindFlow and Flow::nodes.find, remembering the last answer:
  // a turn asks for the flow and node on top of the stack several times.
  const Flow* FindFlow(const std::string& id) const;
  const Node* FindNode(const Flow& flow, const std::string& id) const;
  const Flow& FlowById(const std::string& id) const;
  const Node& NodeOf(const FlowFrame& frame) const;
  const Node* CurrentNode() const;

  void PruneStaleFrames();
  void HandleCrisis(const Intent& intent);
  const Flow* CrisisFlowFor(CrisisCategory category) const;
  void ResumeCrisisCheckIn();
  bool HandleAnswer(std::string_view text, const MatchResult& matches);
  void HandleUnanswered(const MatchResult& matches);
  void SayFallback();

  void StartFlow(const Flow& flow);
  void GoTo(const Target& target);
  void EnterNode(const Flow& flow, const std::string& node_id, bool resuming);
  bool RequirementsMet(const Node& node) const;
  void Remember(const Node& node);
  void UpdateCrisisMode(const Node& node);
  void EndFlow();
  void PopRiskFlows();
  bool IsRiskFlow(const std::string& flow_id) const;
  bool IsRiskFlow(const Flow& flow) const;
  bool TopIsRiskFlow() const;

  // A phrasing key is the concatenation of its parts ("flow/node#reprompt"),
  // passed in pieces so that no string is built for it.
  struct PhrasingKey {
    std::string_view a{}, b{}, c{}, d{};
  };
  void Say(const std::vector<std::vector<std::string>>& phrasings, const PhrasingKey& key,
           const Node* node);
  void SayLine(const std::vector<std::string>& phrasings, std::string_view key);
  void AddResource(const std::string& id, bool front);
  // `node` is the node speaking, for its `episode_line`; may be null.
  std::string Render(const std::string& text, const Node* node) const;
  size_t Pick(size_t count, const PhrasingKey& key) const;

  const Content& content_;
  const EngineOptions& options_;
  const TurnContext context_;  // a copy: small, and callers may pass a temporary
  Turn* turn_;
  SessionState& state_;
  // Of the node spoken last (content-owned); null when none spoke.
  const std::vector<std::string>* quick_replies_ = nullptr;
  int entered_ = 0;  // nodes entered this turn; bounds runaway `next` chains
  // FindFlow's, FindNode's and IsRiskFlow's last answers (content is immutable).
  mutable const Flow* last_flow_ = nullptr;
  mutable const Flow* last_node_flow_ = nullptr;
  mutable const std::pair<const std::string, Node>* last_node_ = nullptr;
  mutable const Flow* last_risk_flow_ = nullptr;
  mutable bool last_risk_ = false;
};

}  // namespace steady

#endif  // STEADY_CORE_DIALOG_H_

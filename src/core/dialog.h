// DialogStep: moves one session through its flows for one message.
//
// Internal to the engine (engine.cpp builds one per turn). It owns no data:
// it edits the Turn it is given, whose `state` starts as the session's state.
// Everything it says comes from Content; it never invents text.
#ifndef STEADY_CORE_DIALOG_H_
#define STEADY_CORE_DIALOG_H_

#include <string>
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
  void Handle(const std::string& text, const MatchResult& matches);

  // After Open() or Handle(): crisis-mode resources and reminder, quick
  // replies on the last message, debug position.
  void Finish();

 private:
  const Flow& FlowById(const std::string& id) const;
  const Node& NodeOf(const FlowFrame& frame) const;
  const Node* CurrentNode() const;

  void PruneStaleFrames();
  void HandleCrisis(const Intent& intent);
  const Flow* CrisisFlowFor(CrisisCategory category) const;
  void ResumeCrisisCheckIn();
  bool HandleAnswer(const std::string& text, const MatchResult& matches);
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
  bool TopIsRiskFlow() const;

  void Say(const std::vector<std::vector<std::string>>& phrasings, const std::string& key,
           const Node* node);
  void SayLine(const std::vector<std::string>& phrasings, const std::string& key);
  void AddResource(const std::string& id, bool front);
  // `node` is the node speaking, for its `episode_line`; may be null.
  std::string Render(const std::string& text, const Node* node) const;
  size_t Pick(size_t count, const std::string& key) const;

  const Content& content_;
  const EngineOptions& options_;
  const TurnContext context_;  // a copy: small, and callers may pass a temporary
  Turn* turn_;
  SessionState& state_;
  std::vector<std::string> quick_replies_;  // of the node spoken last
  int entered_ = 0;  // nodes entered this turn; bounds runaway `next` chains
};

}  // namespace steady

#endif  // STEADY_CORE_DIALOG_H_

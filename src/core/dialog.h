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
  DialogStep(const Content& content, const EngineOptions& options, Turn* turn)
      : content_(content), options_(options), turn_(turn), state_(turn->state) {}

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
  bool HandleAnswer(const std::string& text, const MatchResult& matches);
  void HandleUnanswered(const MatchResult& matches);
  void SayFallback();

  void StartFlow(const Flow& flow);
  void GoTo(const Target& target);
  void EnterNode(const Flow& flow, const std::string& node_id, bool resuming);
  void EndFlow();
  void PopRiskFlows();
  bool IsRiskFlow(const std::string& flow_id) const;
  bool TopIsRiskFlow() const;

  void Say(const std::vector<std::vector<std::string>>& phrasings, const std::string& key);
  void SayLine(const std::vector<std::string>& phrasings, const std::string& key);
  void AddResource(const std::string& id, bool front);
  std::string Render(const std::string& text) const;
  size_t Pick(size_t count, const std::string& key) const;

  const Content& content_;
  const EngineOptions& options_;
  Turn* turn_;
  SessionState& state_;
  std::vector<std::string> quick_replies_;  // of the node spoken last
  int entered_ = 0;  // nodes entered this turn; bounds runaway `next` chains
};

}  // namespace steady

#endif  // STEADY_CORE_DIALOG_H_

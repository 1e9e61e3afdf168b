// Content lookups. Content is small (tens of intents and flows), so plain
// linear scans beat building indexes that would have to be kept in step with
// the vectors: a scan over a few dozen short strings is well inside the
// per-message budget.

#include "core/content.h"

namespace steady {

const char* CrisisCategoryName(CrisisCategory category) {
  switch (category) {
    case CrisisCategory::kOverdose:
      return "overdose";
    case CrisisCategory::kSuicide:
      return "suicide";
    case CrisisCategory::kHarmToOthers:
      return "harm_to_others";
    case CrisisCategory::kAbuse:
      return "abuse";
    case CrisisCategory::kSelfHarm:
      return "self_harm";
  }
  // Only reachable with a value cast from outside the enum.
  return "unknown";
}

std::optional<CrisisCategory> ParseCrisisCategory(const std::string& name) {
  for (CrisisCategory category : AllCrisisCategories()) {
    if (name == CrisisCategoryName(category)) return category;
  }
  return std::nullopt;
}

const std::vector<CrisisCategory>& AllCrisisCategories() {
  // Order of precedence (the enumerator order), as the header promises.
  static const std::vector<CrisisCategory> kAll = {
      CrisisCategory::kOverdose, CrisisCategory::kSuicide, CrisisCategory::kHarmToOthers,
      CrisisCategory::kAbuse, CrisisCategory::kSelfHarm};
  return kAll;
}

const Intent* Content::FindIntent(const std::string& id) const {
  for (const Intent& intent : intents) {
    if (intent.id == id) return &intent;
  }
  return nullptr;
}

const Flow* Content::FindFlow(const std::string& id) const {
  for (const Flow& flow : flows) {
    if (flow.id == id) return &flow;
  }
  return nullptr;
}

const Resource* Content::FindResource(const std::string& id) const {
  for (const Resource& resource : resources) {
    if (resource.id == id) return &resource;
  }
  return nullptr;
}

// Called once per message. Flows rarely have more than a couple of triggers,
// so this is one pass over a short list; if content grows to hundreds of
// flows, an intent -> flow map built at load is the next step.
const Flow* Content::FlowTriggeredBy(const std::string& intent_id) const {
  for (const Flow& flow : flows) {
    for (const std::string& trigger : flow.triggers) {
      if (trigger == intent_id) return &flow;
    }
  }
  return nullptr;
}

}  // namespace steady

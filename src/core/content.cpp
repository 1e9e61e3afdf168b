// Content lookups: hash tables from id to position, built once by
// BuildIndex(), with a linear scan as the fallback for content assembled by
// hand (tests) or changed after indexing.

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

const std::vector<std::string>& NodeActions() {
  static const std::vector<std::string> kActions = {"record_episode"};
  return kActions;
}

namespace {

// The element of `items` with `id`: through `table` when it has a trusted
// entry, else by scanning.
template <typename T>
const T* Lookup(const std::vector<T>& items, const std::unordered_map<std::string, size_t>& table,
                const std::string& id) {
  auto it = table.find(id);
  if (it != table.end() && it->second < items.size() && items[it->second].id == id) {
    return &items[it->second];
  }
  for (const T& item : items) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

template <typename T>
void IndexIds(const std::vector<T>& items, std::unordered_map<std::string, size_t>* table) {
  table->clear();
  table->reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) table->emplace(items[i].id, i);  // first wins
}

}  // namespace

void Content::BuildIndex() {
  IndexIds(intents, &index.intents);
  IndexIds(flows, &index.flows);
  IndexIds(resources, &index.resources);
  index.triggers.clear();
  for (size_t i = 0; i < flows.size(); ++i) {
    for (const std::string& trigger : flows[i].triggers) index.triggers.emplace(trigger, i);
  }
}

const Intent* Content::FindIntent(const std::string& id) const {
  return Lookup(intents, index.intents, id);
}

const Flow* Content::FindFlow(const std::string& id) const { return Lookup(flows, index.flows, id); }

const Resource* Content::FindResource(const std::string& id) const {
  return Lookup(resources, index.resources, id);
}

const Flow* Content::FlowTriggeredBy(const std::string& intent_id) const {
  auto it = index.triggers.find(intent_id);
  if (it != index.triggers.end() && it->second < flows.size()) {
    for (const std::string& trigger : flows[it->second].triggers) {
      if (trigger == intent_id) return &flows[it->second];
    }
  }
  for (const Flow& flow : flows) {
    for (const std::string& trigger : flow.triggers) {
      if (trigger == intent_id) return &flow;
    }
  }
  return nullptr;
}

}  // namespace steady

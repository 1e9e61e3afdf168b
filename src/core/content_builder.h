// ContentBuilder: checks each parsed content file's sections against the
// schema in docs/content.md and merges them into one Content.
//
// Internal to the content loader (used by content_loader.cpp); nothing
// outside src/core/ should include it. The public face of loading is
// content_loader.h.
#ifndef STEADY_CORE_CONTENT_BUILDER_H_
#define STEADY_CORE_CONTENT_BUILDER_H_

#include <map>
#include <string>
#include <vector>

#include "core/content.h"
#include "core/content_loader.h"
#include "core/json_fields.h"

namespace steady {
namespace loader_internal {

// Builds one Content from the parsed files, one file at a time, and
// remembers where each id was first defined to report duplicates.
//
// Schema problems (unknown fields, wrong types, duplicate ids) are reported
// and the offending item or field is left out; building always goes on, so
// one run reports them all. Not thread-safe; use one builder per load.
class ContentBuilder {
 public:
  // `content` and `problems` are not owned and must outlive the builder.
  ContentBuilder(Content* content, std::vector<ContentProblem>* problems)
      : content_(content), reporter_(problems) {}

  // Checks and merges one file's document; `where` names the file in
  // problems ("intents/core.json"). Files are merged in the order added, and
  // a duplicate is reported against the later file.
  void AddFile(const std::string& where, const Json& doc);

 private:
  using AddItem = void (ContentBuilder::*)(const Json& item, const std::string& subject);

  void ForEachObject(const Json& section, const char* section_name, const char* item_name,
                     AddItem add);
  static bool ReadId(Fields* fields, const std::string& kind, std::string* id);
  bool FirstDefinition(std::map<std::string, std::string>* seen, const std::string& id,
                       Fields* fields, const char* kind);

  // One per section.
  void AddIntent(const Json& item, const std::string& subject);
  void AddFlow(const Json& item, const std::string& subject);
  void AddResource(const Json& item, const std::string& subject);
  void AddCrisisResources(const Json& section);
  void AddLexicon(const Json& section);
  void MergeRewrites(Fields* fields, const char* name, const char* kind,
                     std::map<std::string, std::string>* out);
  void AddSystem(const Json& section);
  void AddStigmatizingWord(const Json& item, const std::string& subject);
  void AddChannels(const Json& section);

  Content* content_;
  Reporter reporter_;
  // Id -> the file that first defined it.
  std::map<std::string, std::string> intent_files_;
  std::map<std::string, std::string> flow_files_;
  std::map<std::string, std::string> resource_files_;
  std::map<CrisisCategory, std::string> crisis_resource_files_;
  std::map<std::string, std::string> system_files_;
  std::map<std::string, std::string> channel_files_;
};

}  // namespace loader_internal
}  // namespace steady

#endif  // STEADY_CORE_CONTENT_BUILDER_H_

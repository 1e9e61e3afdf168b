// Typed, problem-reporting access to the fields of a JSON object.
//
// Internal to the content loader (content_loader.cpp, content_builder.cpp,
// node_reader.cpp); nothing outside src/core/ should include it. The public
// face of loading is content_loader.h.
//
// Content is written by hand, so a field of the wrong type or a misspelt
// name is an expected condition: it becomes a ContentProblem naming the
// file, the object and the field, and reading carries on. Nothing here
// throws for bad content.
#ifndef STEADY_CORE_JSON_FIELDS_H_
#define STEADY_CORE_JSON_FIELDS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/content.h"
#include "core/content_loader.h"

namespace steady {
namespace loader_internal {

using Json = nlohmann::json;

// A fixed list of names (the fields an object may hold), iterable.
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

// A JSON value's type as an author would say it: "an array", "a string".
const char* TypeName(const Json& value);

// `s` in single quotes, as messages name ids and fields: 'lapse'.
std::string Quote(const std::string& s);

// The known name `name` is a near miss of ("pattern" for "patterns"), or
// nullptr.
const char* NearMiss(const std::string& name, NameList known);

// The crisis category names, comma-separated, for "expected one of ...".
std::string CategoryList();

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
  std::vector<ContentProblem>* problems_;  // not owned
  std::string where_;
};

// Typed access to the fields of one JSON object. Every reader reports a
// value of the wrong type (naming the field, what it must be and what it
// is) and carries on, so one bad field never hides the others. Readers
// return true when the field is present and well-typed.
//
// Holds references: `object` and `reporter` must outlive it.
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
  void CheckKnown(NameList known);

  const Json* Find(const char* name) const {
    auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }
  bool Has(const char* name) const { return Find(name) != nullptr; }

  // Quotes a field name with the prefix: "'expect.slot'".
  std::string Name(const std::string& field) const { return Quote(prefix_ + field); }

  void WrongType(const std::string& field, const char* expected, const Json& got);

  bool String(const char* name, std::string* out);

  // A string that must be present and not empty.
  bool RequiredString(const char* name, std::string* out);

  bool Bool(const char* name, bool* out);

  bool Int(const char* name, int* out);

  // An array of strings. Non-string items are reported (once per field) and
  // skipped; the strings are kept.
  bool Strings(const char* name, std::vector<std::string>* out);
  bool StringArray(const Json& value, const std::string& name, std::vector<std::string>* out);

  // A crisis category name. null means none, as an author would expect.
  bool Category(const char* name, std::optional<CrisisCategory>* out);

  // A target: a node id, "end" or "flow:ID".
  bool TargetField(const char* name, Target* out);
  bool TargetValue(const Json& value, const std::string& name, Target* out);

 private:
  const Json& object_;
  std::string subject_;
  std::string prefix_;
  Reporter* reporter_;  // not owned
};

}  // namespace loader_internal
}  // namespace steady

#endif  // STEADY_CORE_JSON_FIELDS_H_

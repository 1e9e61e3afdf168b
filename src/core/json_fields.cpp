// Typed, problem-reporting access to JSON object fields, for the content
// loader. See json_fields.h.
#include "core/json_fields.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace steady {
namespace loader_internal {
namespace {

// Levenshtein distance, one row at a time; names are short.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "end" -> kEnd, "flow:ID" -> kFlow, anything else -> kNode. Whether the node
// or flow exists is the validator's business.
bool ParseTarget(const std::string& text, Target* target, std::string* error) {
  static const std::string kFlowPrefix = "flow:";
  if (text.empty()) {
    *error = "is empty; write a node id, \"end\" or \"flow:ID\"";
    return false;
  }
  if (text == "end") {
    target->kind = Target::Kind::kEnd;
    target->id.clear();
  } else if (text.compare(0, kFlowPrefix.size(), kFlowPrefix) == 0) {
    target->kind = Target::Kind::kFlow;
    target->id = text.substr(kFlowPrefix.size());
    if (target->id.empty()) {
      *error = "names no flow after \"flow:\"";
      return false;
    }
  } else {
    target->kind = Target::Kind::kNode;
    target->id = text;
  }
  return true;
}

}  // namespace

const char* TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a decimal number";
    default:
      return "binary data";
  }
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

const char* NearMiss(const std::string& name, NameList known) {
  const char* best = nullptr;
  size_t best_distance = 3;  // two edits at most: a plural, a dash, a swap
  for (const char* candidate : known) {
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance && distance < std::string(candidate).size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string CategoryList() {
  std::string out;
  for (CrisisCategory category : AllCrisisCategories()) {
    if (!out.empty()) out += ", ";
    out += CrisisCategoryName(category);
  }
  return out;
}

void Fields::CheckKnown(NameList known) {
  for (const auto& item : object_.items()) {
    bool found = false;
    for (const char* name : known) found = found || item.key() == name;
    if (!found) {
      const char* meant = NearMiss(item.key(), known);
      Report("unknown field " + Name(item.key()) +
             (meant ? "; did you mean " + Name(meant) + "?" : ""));
    }
  }
}

void Fields::WrongType(const std::string& field, const char* expected, const Json& got) {
  Report(Name(field) + " must be " + expected + ", not " + TypeName(got));
}

bool Fields::String(const char* name, std::string* out) {
  const Json* value = Find(name);
  if (value == nullptr) return false;
  if (!value->is_string()) {
    WrongType(name, "a string", *value);
    return false;
  }
  *out = value->get_ref<const std::string&>();
  return true;
}

bool Fields::RequiredString(const char* name, std::string* out) {
  if (!Has(name)) {
    Report("missing required field " + Name(name));
    return false;
  }
  if (!String(name, out)) return false;
  if (out->empty()) {
    Report(Name(name) + " is empty");
    return false;
  }
  return true;
}

bool Fields::Bool(const char* name, bool* out) {
  const Json* value = Find(name);
  if (value == nullptr) return false;
  if (!value->is_boolean()) {
    WrongType(name, "true or false", *value);
    return false;
  }
  *out = value->get<bool>();
  return true;
}

bool Fields::Int(const char* name, int* out) {
  const Json* value = Find(name);
  if (value == nullptr) return false;
  if (!value->is_number_integer()) {
    WrongType(name, "an integer", *value);
    return false;
  }
  bool fits = value->is_number_unsigned()
                  ? value->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int>::max())
                  : value->get<int64_t>() >= std::numeric_limits<int>::min() &&
                        value->get<int64_t>() <= std::numeric_limits<int>::max();
  if (!fits) {
    Report(Name(name) + " is out of range");
    return false;
  }
  *out = static_cast<int>(value->get<int64_t>());
  return true;
}

bool Fields::Strings(const char* name, std::vector<std::string>* out) {
  const Json* value = Find(name);
  if (value == nullptr) return false;
  return StringArray(*value, name, out);
}

bool Fields::StringArray(const Json& value, const std::string& name,
                         std::vector<std::string>* out) {
  if (!value.is_array()) {
    WrongType(name, "an array of strings", value);
    return false;
  }
  std::vector<std::string> strings;
  bool ok = true;
  for (size_t i = 0; i < value.size(); ++i) {
    const Json& item = value[i];
    if (item.is_string()) {
      strings.push_back(item.get<std::string>());
    } else if (ok) {
      Report(Name(name) + " must be an array of strings; item " + std::to_string(i + 1) + " is " +
             TypeName(item));
      ok = false;
    }
  }
  *out = std::move(strings);
  return ok;
}

bool Fields::Category(const char* name, std::optional<CrisisCategory>* out) {
  const Json* value = Find(name);
  if (value == nullptr || value->is_null()) return false;
  if (!value->is_string()) {
    WrongType(name, "a crisis category name", *value);
    return false;
  }
  const std::string& text = value->get_ref<const std::string&>();
  std::optional<CrisisCategory> category = ParseCrisisCategory(text);
  if (!category) {
    Report(Name(name) + ": unknown crisis category " + Quote(text) + " (expected one of " +
           CategoryList() + ")");
    return false;
  }
  *out = category;
  return true;
}

bool Fields::TargetField(const char* name, Target* out) {
  const Json* value = Find(name);
  if (value == nullptr) return false;
  return TargetValue(*value, name, out);
}

bool Fields::TargetValue(const Json& value, const std::string& name, Target* out) {
  if (!value.is_string()) {
    WrongType(name, "a target (a node id, \"end\" or \"flow:ID\")", value);
    return false;
  }
  std::string error;
  if (!ParseTarget(value.get_ref<const std::string&>(), out, &error)) {
    Report("target " + Name(name) + " " + error);
    return false;
  }
  return true;
}

}  // namespace loader_internal
}  // namespace steady

// LoadContent: reads the content folders into one Content and reports every
// structural problem it finds, not just the first.
//
// Loading runs in two passes. First every file is read and parsed as JSON; a
// file that cannot be read or has a syntax error makes the load fail (no
// Content), because nothing after that point can be trusted. Then every file's
// sections are checked against the schema in docs/content.md and merged into
// one Content (ContentBuilder, content_builder.cpp). Schema problems (unknown
// fields, wrong types, duplicate ids) are reported but do not stop the load,
// so `steady validate` can go on to report the deeper problems too in one run.
//
// This file does the first pass: listing and reading files and parsing them
// with line:column for syntax errors.
//
// nlohmann::json throws; nothing here lets an exception escape.
// ValidateContent lives in content_validator.cpp.

#include "core/content_loader.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/content_builder.h"
#include "core/json_fields.h"

namespace steady {

std::string ContentProblem::ToString() const {
  std::string out;
  for (const std::string* part : {&where, &subject, &message}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ": ";
    out += *part;
  }
  return out;
}

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using loader_internal::ContentBuilder;
using loader_internal::Quote;

// The two folders under the content root, read in this order.
constexpr const char* kFolders[] = {"intents", "dialogs"};

// 1-based line and column of the byte at `offset`, columns counted in
// characters (UTF-8 code points) as editors show them.
std::pair<size_t, size_t> LineAndColumn(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  // A byte-order mark is skipped by the parser and invisible in editors.
  if (line == 1 && text.compare(0, 3, "\xEF\xBB\xBF") == 0)
    line_start = std::min<size_t>(3, offset);
  size_t column = 1;
  for (size_t i = line_start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

// nlohmann's messages start "[json.exception.parse_error.101] parse error at
// line 3, column 1: "; the position is reported separately (computed from
// the byte offset), so keep only what went wrong.
std::string ShortReason(const std::string& what) {
  std::string reason = what;
  if (!reason.empty() && reason[0] == '[') {
    size_t close = reason.find("] ");
    if (close != std::string::npos) reason = reason.substr(close + 2);
  }
  static const std::string kParseError = "parse error";
  if (reason.compare(0, kParseError.size(), kParseError) == 0) {
    size_t colon = reason.find(": ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
  }
  return reason;
}

// A trailing comma is the commonest JSON slip; nlohmann's message for it
// ("unexpected '}'") does not say so.
std::string TrailingCommaHint(const std::string& text, size_t offset) {
  if (offset >= text.size() || (text[offset] != '}' && text[offset] != ']')) return "";
  size_t i = offset;
  while (i > 0 && std::isspace(static_cast<unsigned char>(text[i - 1]))) --i;
  if (i > 0 && text[i - 1] == ',') return " (is there a comma after the last item?)";
  return "";
}

struct ContentFile {
  std::string where;  // relative to the root: "intents/core.json"
  Json doc;
  // Keys written twice in one object. JSON keeps only the last, so a second
  // "patterns" would silently drop the first; these are reported.
  std::vector<std::string> repeated_keys;
};

// Parses file->where's `text` into `file`; reports a syntax error with its
// line and column.
bool ParseFile(const std::string& text, ContentFile* file, std::vector<ContentProblem>* problems) {
  const std::string& where = file->where;
  std::vector<std::set<std::string>> open_objects;
  std::vector<std::string>& repeated = file->repeated_keys;
  Json::parser_callback_t callback = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        open_objects.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case Json::parse_event_t::key:
        if (const auto* key = parsed.get_ptr<const std::string*>()) {
          if (!open_objects.empty() && !open_objects.back().insert(*key).second) {
            repeated.push_back(*key);
          }
        }
        break;
      default:
        break;
    }
    return true;
  };
  try {
    file->doc = Json::parse(text, callback, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const Json::parse_error& e) {
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;  // e.byte is 1-based
    std::pair<size_t, size_t> position = LineAndColumn(text, offset);
    problems->push_back(ContentProblem{
        where + ":" + std::to_string(position.first) + ":" + std::to_string(position.second), "",
        ShortReason(e.what()) + TrailingCommaHint(text, offset)});
    return false;
  } catch (const Json::exception& e) {
    // Such as a number too large to represent; no position is known.
    problems->push_back(ContentProblem{where, "", ShortReason(e.what())});
    return false;
  }
  return true;
}

// Lists the *.json files of one folder, sorted by name. Reports and returns
// false when the folder cannot be listed.
bool ListJsonFiles(const fs::path& folder, const std::string& folder_name,
                   std::vector<std::string>* names, std::vector<ContentProblem>* problems) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    std::error_code type_ec;
    if (path.extension() == ".json" && it->is_regular_file(type_ec)) {
      names->push_back(path.filename().string());
    }
  }
  if (ec) {
    problems->push_back(
        ContentProblem{folder_name + "/", "", "cannot list folder: " + ec.message()});
    return false;
  }
  std::sort(names->begin(), names->end());
  return true;
}

bool ReadFile(const fs::path& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  *text = buffer.str();
  return true;
}

LoadResult Load(const std::string& root) {
  LoadResult result;
  std::error_code ec;
  // An empty root means the working directory, like ".".
  const fs::path root_path(root.empty() ? "." : root);
  if (!fs::is_directory(root_path, ec)) {
    result.missing_folder = true;
    result.problems.push_back(ContentProblem{
        root, "", fs::exists(root_path, ec) ? "is not a folder" : "content folder not found"});
    return result;
  }
  bool present[2] = {false, false};
  static_assert(sizeof(kFolders) / sizeof(kFolders[0]) == 2, "one flag per folder");
  for (size_t i = 0; i < 2; ++i) present[i] = fs::is_directory(root_path / kFolders[i], ec);
  if (!present[0] && !present[1]) {
    result.missing_folder = true;
    result.problems.push_back(ContentProblem{
        root, "", "has no intents/ or dialogs/ folder: is this the content folder?"});
    return result;
  }

  // Pass 1: read and parse everything.
  bool all_parsed = true;
  std::vector<ContentFile> files;
  for (size_t i = 0; i < 2; ++i) {
    const char* folder = kFolders[i];
    if (!present[i]) {
      result.problems.push_back(
          ContentProblem{std::string(folder) + "/", "", "folder not found in " + root});
      continue;
    }
    std::vector<std::string> names;
    if (!ListJsonFiles(root_path / folder, folder, &names, &result.problems)) {
      all_parsed = false;
      continue;
    }
    for (const std::string& name : names) {
      ContentFile file;
      file.where = std::string(folder) + "/" + name;
      std::string text;
      if (!ReadFile(root_path / folder / name, &text)) {
        result.problems.push_back(ContentProblem{file.where, "", "cannot read file"});
        all_parsed = false;
        continue;
      }
      if (!ParseFile(text, &file, &result.problems)) {
        all_parsed = false;
        continue;
      }
      files.push_back(std::move(file));
    }
  }
  if (!all_parsed) return result;

  // Pass 2: check the schema and merge.
  auto content = std::make_shared<Content>();
  content->root = root;
  ContentBuilder builder(content.get(), &result.problems);
  for (const ContentFile& file : files) {
    for (const std::string& key : file.repeated_keys) {
      result.problems.push_back(ContentProblem{
          file.where, "",
          "key " + Quote(key) + " appears twice in one object; only the last is kept"});
    }
    builder.AddFile(file.where, file.doc);
  }
  result.content = std::move(content);
  return result;
}

}  // namespace

LoadResult LoadContent(const std::string& root) {
  // Everything above reports problems as values; this is the backstop for
  // the unexpected (an allocation failure, a bug), because a loader that
  // throws would take the crisis fallback down with it.
  try {
    return Load(root);
  } catch (const std::exception& e) {
    LoadResult result;
    result.problems.push_back(
        ContentProblem{root, "", std::string("internal error while loading: ") + e.what()});
    return result;
  }
}

}  // namespace steady

#include "server/static_files.h"

#include <httplib.h>

#include <stdexcept>

namespace steady {
namespace {

// Long enough to spare a busy site a request per page view, short enough
// that a new widget reaches every visitor within minutes; after it, the
// ETag makes the check a 304 without a body.
constexpr char kCacheControl[] = "public, max-age=300";

// The demo page runs only this server's own files: no inline script or
// style, no eval, no other origin, no framing. Its fetches go to this same
// origin, so 'self' covers them.
constexpr char kDemoPageCsp[] =
    "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
    "object-src 'none'";

struct Served {
  const char* path;
  const char* file;  // name under web/
  const char* content_type;
  bool embeddable;
};

constexpr Served kServed[] = {
    {"/", "index.html", "text/html; charset=utf-8", false},
    {"/widget.js", "widget.js", "text/javascript; charset=utf-8", true},
    {"/widget.css", "widget.css", "text/css; charset=utf-8", true},
    {"/demo.js", "demo.js", "text/javascript; charset=utf-8", false},
    {"/demo.css", "demo.css", "text/css; charset=utf-8", false},
};

const EmbeddedWebFile* FindEmbedded(std::string_view name) {
  for (size_t i = 0; i < kEmbeddedWebFileCount; ++i) {
    if (name == kEmbeddedWebFiles[i].name) return &kEmbeddedWebFiles[i];
  }
  return nullptr;
}

std::vector<StaticFile> BuildTable() {
  std::vector<StaticFile> files;
  for (const Served& s : kServed) {
    const EmbeddedWebFile* embedded = FindEmbedded(s.file);
    // The build embeds exactly these files; a missing one is a build bug.
    if (embedded == nullptr) throw std::logic_error(std::string("web file not embedded: ") + s.file);
    StaticFile file;
    file.path = s.path;
    file.content_type = s.content_type;
    file.body = std::string_view(embedded->data, embedded->size);
    // 128 bits of the digest are plenty to tell versions apart.
    file.etag = "\"" + std::string(embedded->sha256).substr(0, 32) + "\"";
    if (file.path == "/") file.content_security_policy = kDemoPageCsp;
    file.embeddable = s.embeddable;
    files.push_back(std::move(file));
  }
  return files;
}

// Trims spaces and tabs (optional whitespace in header lists).
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view Opaque(std::string_view tag) {
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  return tag;
}

}  // namespace

const std::vector<StaticFile>& StaticFiles() {
  static const std::vector<StaticFile> files = BuildTable();
  return files;
}

const StaticFile* FindStaticFile(std::string_view path) {
  for (const StaticFile& file : StaticFiles()) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  // Entity tags are quoted strings that may not contain commas, so a plain
  // split on ',' is exact.
  while (true) {
    const size_t comma = if_none_match.find(',');
    const std::string_view tag = Trim(if_none_match.substr(0, comma));
    if (tag == "*" || (!tag.empty() && Opaque(tag) == Opaque(etag))) return true;
    if (comma == std::string_view::npos) return false;
    if_none_match.remove_prefix(comma + 1);
  }
}

void ServeStaticFile(const StaticFile& file, std::string_view if_none_match,
                     httplib::Response& res) {
  res.set_header("ETag", file.etag);
  res.set_header("Cache-Control", kCacheControl);
  res.set_header("X-Content-Type-Options", "nosniff");
  if (!file.content_security_policy.empty()) {
    res.set_header("Content-Security-Policy", file.content_security_policy);
  }
  if (file.embeddable) res.set_header("Cross-Origin-Resource-Policy", "cross-origin");
  if (!if_none_match.empty() && EtagMatches(if_none_match, file.etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(file.body.data(), file.body.size(), file.content_type.c_str());
}

}  // namespace steady

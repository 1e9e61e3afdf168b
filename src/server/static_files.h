// The web chat widget's files (web/), as the server hands them out:
// GET /widget.js and /widget.css for the script tag a website embeds, and
// the demo page at / with its own script and style sheet.
//
// The files are compiled into the binary (cmake/web_files.cmake generates
// a .cpp holding their bytes and SHA-256), so `steady serve` serves the same
// widget from any directory and no request ever touches the filesystem:
// there is no path to traverse, only a fixed table of five names.
//
//   if (const StaticFile* file = FindStaticFile(req.path)) {
//     ServeStaticFile(*file, req.get_header_value("If-None-Match"), res);
//   }
//
// Thread-safe: the table is built once, immutable, and shared.
#ifndef STEADY_SERVER_STATIC_FILES_H_
#define STEADY_SERVER_STATIC_FILES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace httplib {
struct Response;
}  // namespace httplib

namespace steady {

// One embedded file, as the generated source lists it.
struct EmbeddedWebFile {
  const char* name;    // file name under web/: "widget.js"
  const char* data;    // its bytes (not NUL-terminated in meaning)
  size_t size;         // in bytes
  const char* sha256;  // lowercase hex digest of the bytes
};

// Defined by the generated web_files.cpp: every file of web/ that is
// served, in no particular order.
extern const EmbeddedWebFile kEmbeddedWebFiles[];
extern const size_t kEmbeddedWebFileCount;

struct StaticFile {
  std::string path;           // URL path: "/widget.js"
  std::string content_type;   // with charset: "text/javascript; charset=utf-8"
  std::string_view body;      // the embedded bytes; lives as long as the program
  std::string etag;           // strong validator, quoted: "\"sha256-prefix\""
  // Content-Security-Policy for the response; the demo page's forbids
  // everything but this server's own files. Empty: the server's default.
  std::string content_security_policy;
  // True for the files other websites load with a tag (widget.js and
  // widget.css): they get Cross-Origin-Resource-Policy: cross-origin, so a
  // page that requires it (COEP) can still embed the widget.
  bool embeddable = false;
};

// Every served file, "/" first. Built on first use from the embedded files.
const std::vector<StaticFile>& StaticFiles();

// The file served at `path`, or null. Only exact paths match: "/",
// "/widget.js", "/widget.css", "/demo.js", "/demo.css".
const StaticFile* FindStaticFile(std::string_view path);

// True when an If-None-Match header value names `etag` (or is "*"), so the
// client's copy is current and the answer is 304. Weak validators (W/"...")
// compare by their opaque part, as RFC 9110 says for If-None-Match.
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// Fills `res` with `file`: 200 and the bytes, or 304 and no body when
// `if_none_match` names the current version. Either way with Content-Type,
// ETag, a short public Cache-Control, X-Content-Type-Options: nosniff and
// the file's CSP.
void ServeStaticFile(const StaticFile& file, std::string_view if_none_match,
                     httplib::Response& res);

}  // namespace steady

#endif  // STEADY_SERVER_STATIC_FILES_H_

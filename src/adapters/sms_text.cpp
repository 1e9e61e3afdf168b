#include "adapters/sms_text.h"

#include "core/utf8.h"

namespace steady::adapters {
namespace {

// Byte offset in `text` where the first `max_chars` UTF-16 units end, at a
// code point boundary.
size_t PrefixBytes(std::string_view text, size_t max_chars) {
  size_t pos = 0, units = 0;
  while (pos < text.size()) {
    size_t next = pos;
    const char32_t cp = DecodeUtf8(text, &next);
    const size_t width = cp >= 0x10000 ? 2 : 1;
    if (units + width > max_chars) break;
    units += width;
    pos = next;
  }
  return pos;
}

// Where to cut `text` so the first part has at most `limit` bytes: the
// last paragraph break, line break or space before it, or `limit` itself.
// *skip is how many separator bytes to drop at the cut.
size_t CutAt(std::string_view text, size_t limit, size_t* skip) {
  for (std::string_view separator : {std::string_view("\n\n"), std::string_view("\n"),
                                     std::string_view(" ")}) {
    if (limit < separator.size()) continue;
    const size_t at = text.rfind(separator, limit - separator.size());
    if (at != std::string_view::npos && at > 0) {
      *skip = separator.size();
      return at;
    }
  }
  *skip = 0;
  return limit;
}

bool IsXmlChar(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

}  // namespace

size_t Utf16Length(std::string_view text) {
  size_t pos = 0, units = 0;
  while (pos < text.size()) units += DecodeUtf8(text, &pos) >= 0x10000 ? 2 : 1;
  return units;
}

std::vector<std::string> SplitText(std::string_view text, size_t max_chars) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const size_t limit = PrefixBytes(text, max_chars);
    if (limit >= text.size()) {
      parts.emplace_back(text);
      break;
    }
    size_t skip = 0;
    const size_t cut = CutAt(text, limit, &skip);
    std::string_view part = text.substr(0, cut);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\n')) part.remove_suffix(1);
    if (!part.empty()) parts.emplace_back(part);
    text.remove_prefix(cut + skip);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  }
  return parts;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t cp = DecodeUtf8(text, &pos);
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (!IsXmlChar(cp)) break;
        if (cp == 0xFFFD) {
          AppendUtf8(cp, &out);  // also stands for a byte that was not UTF-8
        } else {
          out.append(text.substr(start, pos - start));
        }
        break;
    }
  }
  return out;
}

std::string Twiml(const std::vector<std::string>& bodies) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>";
  for (const std::string& body : bodies) out += "<Message>" + XmlEscape(body) + "</Message>";
  return out + "</Response>\n";
}

}  // namespace steady::adapters

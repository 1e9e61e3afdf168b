// A coach's turn as a text-only channel shows it.
//
// Channels render from the turn's JSON (TurnResponseJson, or the opening's
// {"messages": [...]}) rather than from the Turn itself, because that JSON
// is what the store replays for a retried delivery: rendering the same
// bytes gives the person the same reply, however often the platform
// retries.
//
// The rule every channel keeps (DESIGN.md, "Crisis routing"): when a turn
// is about risk (a crisis, or the check-in question), the resources' lines
// come first, before any other words: "988 Suicide & Crisis Lifeline: call
// or text 988...". Other resources follow the messages.
//
// Pure functions; thread-safe.
#ifndef STEADY_ADAPTERS_CHANNEL_REPLY_H_
#define STEADY_ADAPTERS_CHANNEL_REPLY_H_

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/content.h"

namespace steady::adapters {

struct TextReply {
  std::vector<std::string> first_lines;  // resource lines that go before anything else
  std::vector<std::string> messages;     // the coach's messages, in order
  std::vector<std::string> last_lines;   // resource lines after the messages
  std::vector<std::string> quick_replies;  // offered answers, in order, without repeats
};

// Reads a turn's JSON. False when it is not a turn or an opening (then
// *reply is empty).
bool ReadTextReply(const std::string& response_json, TextReply* reply);

// One resource as a line of text: its `text`, or its name and numbers.
std::string ResourceLine(const nlohmann::json& resource);

// The lines of the resources `ids`, in order; unknown ids are skipped
// (`steady validate` reports them).
std::vector<std::string> ResourceLines(const Content& content, const std::vector<std::string>& ids);

// Channel wording with {coach} filled in.
std::string RenderWording(const std::string& text, const Content& content);

// Lines joined by "\n" (empty: "").
std::string JoinLines(const std::vector<std::string>& lines);

// The non-empty paragraphs joined by a blank line.
std::string JoinParagraphs(const std::vector<std::string>& paragraphs);

}  // namespace steady::adapters

#endif  // STEADY_ADAPTERS_CHANNEL_REPLY_H_

// EscalationOptions: where and how crisis turns are escalated to a human
// (docs/safety.md, "Escalation to a human").
//
// With a URL set, every turn that leaves a session in crisis mode adds an
// event to the store's outbox in the turn's own transaction, and the
// EscalationWorker POSTs it, signed, to the operator's system.
#ifndef STEADY_SERVER_ESCALATION_OPTIONS_H_
#define STEADY_SERVER_ESCALATION_OPTIONS_H_

#include <string>

namespace steady {

struct EscalationOptions {
  // The operator's receiver, "https://ops.example/steady-events". Empty (the
  // default): escalation is off and no events are recorded.
  std::string url;
  // Shared secret for the X-Steady-Signature HMAC-SHA256. Required with a URL.
  std::string secret;
  // Put the person's message text in the event. Default false: the event
  // says that a crisis happened and where, not what was said.
  bool include_text = false;

  // The first retry waits this long; each further one twice as long, up to
  // max_backoff_seconds, with random jitter (so a receiver coming back is
  // not hit by every event at once). Defaults 2 s and 15 min. Events are
  // retried until delivered or purged with their session's transcript.
  int initial_backoff_seconds = 2;
  int max_backoff_seconds = 900;
  // One delivery attempt may take this long (connect, send, answer). Default 10 s.
  int timeout_seconds = 10;

  bool enabled() const { return !url.empty(); }
};

// The parts of an http:// or https:// URL that a client needs.
struct HttpUrl {
  std::string origin;  // "https://ops.example:8443" (scheme, host, port)
  std::string path;    // "/steady-events"; "/" when the URL has none
};

// Splits `url` into origin and path. Refuses (false, with *error) anything
// but http(s)://host[:port][/path], including user:password@ and #fragments.
bool ParseHttpUrl(const std::string& url, HttpUrl* out, std::string* error);

}  // namespace steady

#endif  // STEADY_SERVER_ESCALATION_OPTIONS_H_

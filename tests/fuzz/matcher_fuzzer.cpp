// Fuzzes the engine's whole turn (normalize -> crisis check -> match ->
// dialog step -> render) over the shipped content, loaded once: the input
// is a conversation, one message a line (at most 6), answered in order
// from the greeting on, so the dialog's states are explored too.
//
// Promises checked for every message (src/core/engine.h, DESIGN.md):
//  - Respond never throws, and with the shipped content never needs the
//    built-in fail-safe reply (that would mean the content or code broke);
//  - a refused message (invalid UTF-8, too long) says why, has no replies
//    and leaves the state as it was;
//  - an answered message has at least one reply;
//  - the crisis check runs in every state before anything else: when the
//    message classifies as a crisis, the turn is that crisis, and any
//    turn in crisis mode carries resources;
//  - the state after the turn survives storage (SerializeState, then
//    ParseState, gives it back equal).
#include <cstdint>
#include <string>

#include "core/session_state.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using steady::Turn;
  const steady::Engine& engine = *steady::fuzz::ShippedEngine();
  steady::SessionState state = engine.Start(/*seed=*/42).state;

  for (std::string_view message : steady::fuzz::SplitLines(steady::fuzz::AsText(data, size), 6)) {
    const steady::Engine::Classification c = engine.Classify(message, state.risk_context);
    Turn turn;
    try {
      turn = engine.Respond(state, message, steady::TurnContext{1795930200});
    } catch (...) {
      FUZZ_CHECK(false, "Respond never throws");
    }
    FUZZ_CHECK(!turn.fail_safe, "the shipped content answers without the fail-safe reply");
    if (!turn.ok()) {
      FUZZ_CHECK(!turn.error_message.empty(), "a refused message says why");
      FUZZ_CHECK(turn.replies.empty(), "a refused message gets no replies");
      FUZZ_CHECK(turn.state == state, "a refused message changes nothing");
      continue;
    }
    FUZZ_CHECK(!turn.replies.empty(), "an answered message gets a reply");
    if (c.crisis) {
      FUZZ_CHECK(turn.intent == c.intent, "a crisis message is answered as that crisis");
      FUZZ_CHECK(turn.crisis.has_value(), "a crisis message puts the session in crisis mode");
    }
    if (turn.crisis) {
      FUZZ_CHECK(!turn.resources.empty(), "a turn in crisis mode carries resources");
    }
    steady::SessionState reloaded;
    FUZZ_CHECK(steady::ParseState(steady::SerializeState(turn.state), &reloaded).ok(),
               "the state after a turn can be stored and read back");
    FUZZ_CHECK(reloaded == turn.state, "the state read back equals the state stored");
    state = turn.state;
  }
  return 0;
}

// What the fuzz harnesses share (tests/fuzz/, docs/testing.md).
//
// A harness is one LLVMFuzzerTestOneInput. It runs the real code on the
// input and checks, with FUZZ_CHECK, what the code's contract promises for
// any input; a broken promise aborts, which libFuzzer and the corpus replay
// (replay_main.cpp) both report as a crash with the input that caused it.
// Crashes, sanitizer reports and endless loops are found without checks.
//
// Harnesses load what they need once (the shipped content, a store in a
// temporary folder) and keep it for the whole run: libFuzzer calls
// LLVMFuzzerTestOneInput millions of times in one process.
#ifndef STEADY_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define STEADY_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/content_loader.h"
#include "core/engine.h"

#ifndef STEADY_SOURCE_DIR
#error "STEADY_SOURCE_DIR must name the checkout (cmake/fuzz.cmake sets it)"
#endif

// Aborts with a message naming the broken promise when `cond` is false.
#define FUZZ_CHECK(cond, what)                                                      \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "fuzz check failed at %s:%d: %s\n  (%s)\n", __FILE__,   \
                   __LINE__, what, #cond);                                          \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

namespace steady::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Splits `text` at '\n' into at most `max_parts` parts (the last keeps
// the rest).
inline std::vector<std::string_view> SplitLines(std::string_view text, size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) break;
    parts.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  parts.push_back(text);
  return parts;
}

// The engine over the content this checkout ships (intents/, dialogs/),
// loaded and checked once. Aborts if the shipped content does not load:
// fuzzing anything else would prove nothing.
inline std::shared_ptr<const Engine> ShippedEngine() {
  static const std::shared_ptr<const Engine> engine = [] {
    LoadResult loaded = LoadContent(STEADY_SOURCE_DIR);
    for (const ContentProblem& p : loaded.problems) {
      std::fprintf(stderr, "shipped content: %s\n", p.ToString().c_str());
    }
    FUZZ_CHECK(loaded.content && loaded.problems.empty(), "the shipped content loads");
    std::unique_ptr<Engine> made;
    Status s = Engine::Create(loaded.content, EngineOptions(), &made);
    if (!s.ok()) std::fprintf(stderr, "shipped content: %s\n", s.message().c_str());
    FUZZ_CHECK(s.ok(), "an engine is built over the shipped content");
    return std::shared_ptr<const Engine>(std::move(made));
  }();
  return engine;
}

// A fresh folder under the system's temporary folder, removed at exit.
// `tag` names the harness in the folder's name.
inline std::filesystem::path ScratchFolder(const char* tag) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string("steady-fuzz-") + tag + "-XXXXXX"))
          .string();
  FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr, "a scratch folder can be made");
  static std::vector<std::filesystem::path> made;
  if (made.empty()) {
    std::atexit([] {
      std::error_code ec;
      for (const auto& p : made) std::filesystem::remove_all(p, ec);
    });
  }
  made.push_back(pattern);
  return pattern;
}

}  // namespace steady::fuzz

#endif  // STEADY_TESTS_FUZZ_FUZZ_SUPPORT_H_

// Fuzzes the content loader (src/core/content_loader.h): the input is one
// content file, intents/fuzz.json, in an otherwise empty content folder
// made once. When it loads cleanly the harness goes on the way `steady
// serve` and `steady validate` do: it builds an engine over it (compiling
// its patterns, lexicon and flows), validates it, and answers a message.
//
// Promises checked, for any bytes: loading never crashes or throws; a
// file that could not be turned into content is reported (a problem names
// the file); every problem has a location and a message; an engine, when
// one can be built, opens and answers without throwing.
#include <cstdint>
#include <fstream>
#include <string>

#include "fuzz_support.h"

namespace {

const std::filesystem::path& ContentRoot() {
  static const std::filesystem::path root = [] {
    std::filesystem::path made = steady::fuzz::ScratchFolder("content");
    std::filesystem::create_directories(made / "intents");
    std::filesystem::create_directories(made / "dialogs");
    return made;
  }();
  return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::filesystem::path& root = ContentRoot();
  {
    std::ofstream out(root / "intents" / "fuzz.json", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    FUZZ_CHECK(out.good(), "the content file is written");
  }

  steady::LoadResult loaded;
  try {
    loaded = steady::LoadContent(root.string());
  } catch (...) {
    FUZZ_CHECK(false, "LoadContent never throws");
  }
  FUZZ_CHECK(!loaded.missing_folder, "the content folder is found");
  if (!loaded.content) {
    FUZZ_CHECK(!loaded.problems.empty(), "content that did not load says why");
  }
  for (const steady::ContentProblem& p : loaded.problems) {
    FUZZ_CHECK(!p.where.empty() && !p.message.empty(), "a problem has a place and a message");
    FUZZ_CHECK(!p.ToString().empty(), "a problem prints");
  }
  if (!loaded.content || !loaded.problems.empty()) return 0;

  std::unique_ptr<steady::Engine> engine;
  if (!steady::Engine::Create(loaded.content, steady::EngineOptions(), &engine).ok()) return 0;
  steady::ValidateOptions options;
  options.today = "2026-01-15";
  for (const steady::ContentProblem& p : steady::ValidateContent(*engine, options)) {
    FUZZ_CHECK(!p.ToString().empty(), "a validation problem prints");
  }
  try {
    steady::Turn opening = engine->Start(7);
    steady::Turn turn = engine->Respond(opening.state, "i used last night");
    engine->Respond(turn.state, "i want to kill myself");
  } catch (...) {
    FUZZ_CHECK(false, "an engine over loaded content answers without throwing");
  }
  return 0;
}

#include "cli/cli_common.h"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <ostream>

#include "core/content_loader.h"

namespace steady {
namespace fs = std::filesystem;

namespace {

bool HoldsContent(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "intents", ec) && fs::is_directory(dir / "dialogs", ec);
}

fs::path ExecutableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

}  // namespace

std::string ResolveContentRoot(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("STEADY_CONTENT"); env != nullptr && *env != '\0') return env;
  if (HoldsContent(".")) return ".";
  fs::path exe_dir = ExecutableDir();
  if (!exe_dir.empty() && HoldsContent(exe_dir.parent_path())) {
    return exe_dir.parent_path().string();
  }
  return ".";
}

int LoadEngine(const std::string& root, std::ostream& err, std::unique_ptr<Engine>* engine,
               const EngineOptions& engine_options) {
  LoadResult loaded = LoadContent(root);
  if (loaded.missing_folder) {
    err << "steady: no content in '" << root
        << "': expected folders intents/ and dialogs/ (use --content DIR)\n";
    return 2;
  }
  if (!loaded.problems.empty() || !loaded.content) {
    for (const ContentProblem& p : loaded.problems) err << p.ToString() << "\n";
    err << "steady: the content in '" << root << "' has problems; run steady validate\n";
    return loaded.content ? 1 : 2;
  }
  Status s = Engine::Create(loaded.content, engine_options, engine);
  if (!s.ok()) {
    err << "steady: " << s.message() << "\n";
    return 1;
  }
  ValidateOptions options;
  options.today = TodayUtc();
  int errors = 0;
  for (const ContentProblem& p : ValidateContent(**engine, options)) {
    // Warnings (a resource due for re-checking) are shown but serve on.
    err << (p.warning ? "warning: " : "") << p.ToString() << "\n";
    if (!p.warning) ++errors;
  }
  if (errors > 0) {
    engine->reset();
    err << "steady: the content in '" << root << "' has " << errors
        << " problem(s); run steady validate\n";
    return 1;
  }
  return 0;
}

std::string TodayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace steady

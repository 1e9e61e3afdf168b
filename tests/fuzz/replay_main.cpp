// The main() of a fuzz harness outside libFuzzer (cmake/fuzz.cmake): the
// corpus replay that ctest runs as fuzz_smoke.<name>.
//
//   fuzz_<name> [--seconds S] [--mutations N] PATH...
//
// Feeds LLVMFuzzerTestOneInput every file named, and every file inside
// every folder named (sorted, so runs repeat), then mutated copies of them
// for up to S seconds (default 0: none) or N mutations (default no limit
// but the time). Mutations are deterministic (a fixed-seed generator):
// byte flips, inserted and deleted bytes, interesting bytes, splices of two
// seeds and truncations, the cheap half of what libFuzzer does. Coverage
// guidance and the long runs are scripts/fuzz's job.
//
// When an input crashes the harness, a signal handler (or a sanitizer's
// death callback) writes it to ./crash-<harness>-replay and names the file on
// stderr, so it can be added to the corpus. Exit 0 when every input ran,
// 2 on a usage error or an empty corpus.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Present in sanitized builds only.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

namespace {

namespace fs = std::filesystem;

// The input being run, for the crash handlers.
const std::string* g_current = nullptr;
char g_crash_path[4096];

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

// Async-signal-safe: open, write and close only.
void SaveCurrentInput() {
  static volatile sig_atomic_t saved = 0;
  if (saved || g_current == nullptr) return;
  saved = 1;
  int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    WriteAll(fd, g_current->data(), g_current->size());
    close(fd);
  }
  const char msg[] = "\nfuzz replay: the input that crashed is saved in ";
  WriteAll(STDERR_FILENO, msg, sizeof msg - 1);
  WriteAll(STDERR_FILENO, g_crash_path, strlen(g_crash_path));
  WriteAll(STDERR_FILENO, "\n", 1);
}

void OnFatalSignal(int sig) {
  SaveCurrentInput();
  signal(sig, SIG_DFL);
  raise(sig);
}

void Run(const std::string& input) {
  g_current = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  g_current = nullptr;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Mutate(const std::vector<std::string>& seeds, std::mt19937_64& rng) {
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  std::string s = seeds[pick(seeds.size())];
  static const char kInteresting[] = {'\0', '\n', '"', '\\', '{', '}', '[', ']', ',', ':',
                                      '%',  '&',  '=', '+',  '\'', ' ', '\x7f', '\xff', '\xc3',
                                      '\xe2', '\x80', '\x99', '/', '@', '<', '>'};
  const int steps = 1 + static_cast<int>(pick(4));
  for (int i = 0; i < steps; ++i) {
    switch (pick(7)) {
      case 0:  // flip a bit
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << pick(8));
        break;
      case 1:  // insert an interesting byte
        s.insert(s.begin() + static_cast<long>(pick(s.size() + 1)),
                 kInteresting[pick(sizeof kInteresting)]);
        break;
      case 2:  // delete a run
        if (!s.empty()) {
          size_t at = pick(s.size());
          s.erase(at, 1 + pick(std::min<size_t>(8, s.size() - at)));
        }
        break;
      case 3:  // overwrite with an interesting byte
        if (!s.empty()) s[pick(s.size())] = kInteresting[pick(sizeof kInteresting)];
        break;
      case 4: {  // splice in part of another seed
        const std::string& other = seeds[pick(seeds.size())];
        if (!other.empty()) {
          size_t from = pick(other.size());
          size_t len = 1 + pick(other.size() - from);
          s.insert(pick(s.size() + 1), other, from, len);
        }
        break;
      }
      case 5:  // truncate
        if (!s.empty()) s.resize(pick(s.size()));
        break;
      case 6: {  // repeat a run
        if (!s.empty()) {
          size_t at = pick(s.size());
          size_t len = 1 + pick(std::min<size_t>(16, s.size() - at));
          std::string run = s.substr(at, len);
          for (size_t r = pick(8); r > 0; --r) s.insert(at, run);
        }
        break;
      }
    }
  }
  return s;
}

int Usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--seconds S] [--mutations N] FILE_OR_FOLDER...\n", argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 0;
  long long max_mutations = -1;
  std::vector<fs::path> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--seconds" || arg == "--mutations") && i + 1 < argc) {
      char* end = nullptr;
      const char* value = argv[++i];
      if (arg == "--seconds") {
        seconds = std::strtod(value, &end);
      } else {
        max_mutations = std::strtoll(value, &end, 10);
      }
      if (end == value || *end != '\0') return Usage(argv[0]);
    } else if (arg.rfind("-", 0) == 0) {
      return Usage(argv[0]);
    } else {
      paths.emplace_back(arg);
    }
  }
  if (paths.empty()) return Usage(argv[0]);

  std::vector<fs::path> files;
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      std::fprintf(stderr, "%s: no such file or folder: %s\n", argv[0], path.c_str());
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "%s: the corpus is empty\n", argv[0]);
    return 2;
  }

  const std::string name = fs::path(argv[0]).filename().string();
  std::snprintf(g_crash_path, sizeof g_crash_path, "crash-%s-replay", name.c_str());
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) signal(sig, OnFatalSignal);
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(SaveCurrentInput);

  std::vector<std::string> seeds;
  for (const fs::path& file : files) {
    seeds.push_back(ReadFile(file));
    Run(seeds.back());
  }

  long long mutations = 0;
  if (seconds > 0 && max_mutations != 0) {
    std::mt19937_64 rng(0x5eed);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(seconds));
    while (std::chrono::steady_clock::now() < deadline &&
           (max_mutations < 0 || mutations < max_mutations)) {
      Run(Mutate(seeds, rng));
      ++mutations;
    }
  }
  std::printf("%s: %zu seed(s) and %lld mutation(s) ran without a crash\n", name.c_str(),
              files.size(), mutations);
  return 0;
}

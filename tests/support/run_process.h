// Runs the real `steady` binary the way a person or a tool would, with a
// given stdin, and captures what it printed and its exit code.
#ifndef STEADY_TESTS_SUPPORT_RUN_PROCESS_H_
#define STEADY_TESTS_SUPPORT_RUN_PROCESS_H_

#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace steady::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

// Runs `binary args...` in `cwd` with `input` on stdin.
inline ProcessResult RunProcess(const std::string& binary, const std::vector<std::string>& args,
                                const std::string& input = "", const std::string& cwd = ".") {
  TempDir io;
  WriteFile(io.path() / "in", input);
  std::string cmd = "cd " + ShellQuote(cwd) + " && " + ShellQuote(binary);
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  cmd += " < " + ShellQuote((io.path() / "in").string()) + " > " +
         ShellQuote((io.path() / "out").string()) + " 2> " +
         ShellQuote((io.path() / "err").string());
  int status = std::system(cmd.c_str());
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(io.path() / "out");
  r.err = ReadFile(io.path() / "err");
  return r;
}

}  // namespace steady::testing

#endif  // STEADY_TESTS_SUPPORT_RUN_PROCESS_H_

// A fresh, empty folder under the system temp folder for one test, removed
// with everything in it when the test ends.
#ifndef STEADY_TESTS_SUPPORT_TEMP_DIR_H_
#define STEADY_TESTS_SUPPORT_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace steady::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "steady-test-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string root() const { return path_.string(); }
  // The path of `relative` inside the folder, as a string.
  std::string File(const std::string& relative) const { return (path_ / relative).string(); }

  // Writes `text` to `relative`, creating its folders.
  void Write(const std::string& relative, const std::string& text) const {
    std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }
  void MakeFolder(const std::string& relative) const {
    std::filesystem::create_directories(path_ / relative);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace steady::testing

#endif  // STEADY_TESTS_SUPPORT_TEMP_DIR_H_

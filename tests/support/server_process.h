// Runs the real `steady serve` binary on a free loopback port, the way an
// operator would, and stops it when the test ends.
//
//   ServerProcess server({"--db", dir.File("s.db")});
//   httplib::Client client = server.Client();
//
// The server is started with --port 0 and the shipped content; the
// constructor waits (up to 20 s) for its "listening on" line and throws if
// it never comes. Everything it writes to stderr (the JSON access log) is
// kept in a file that err() reads.
#ifndef STEADY_TESTS_SUPPORT_SERVER_PROCESS_H_
#define STEADY_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/run_process.h"
#include "support/temp_dir.h"

namespace steady::testing {

class ServerProcess {
 public:
  // `args` go after `steady serve --port 0`. Unless `args` has --content,
  // the shipped content of this checkout is used.
  explicit ServerProcess(std::vector<std::string> args) {
    std::vector<std::string> argv = {STEADY_BINARY, "serve", "--port", "0"};
    bool has_content = false;
    for (const std::string& a : args) has_content = has_content || a == "--content";
    if (!has_content) {
      argv.push_back("--content");
      argv.push_back(STEADY_SOURCE_DIR);
    }
    argv.insert(argv.end(), args.begin(), args.end());
    err_path_ = logs_.File("stderr");

    int out_pipe[2];
    if (pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out_pipe[1], STDOUT_FILENO);
      int err_fd = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
      close(out_pipe[0]);
      close(out_pipe[1]);
      std::vector<char*> c_args;
      for (std::string& a : argv) c_args.push_back(a.data());
      c_args.push_back(nullptr);
      execv(c_args[0], c_args.data());
      _exit(127);
    }
    close(out_pipe[1]);
    out_fd_ = out_pipe[0];
    port_ = WaitForPort();
  }

  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }

  // A client with short timeouts, so a hung server fails the test instead
  // of hanging it.
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5);
    client.set_read_timeout(20);
    client.set_write_timeout(5);
    return client;
  }

  void Signal(int sig) const { kill(pid_, sig); }

  // Sends `sig` (SIGTERM by default) and waits up to 20 s for the exit.
  // Returns the exit code, or -signal when it died of a signal, or -1000
  // when it had to be killed because it did not stop.
  int Stop(int sig = SIGTERM) {
    if (pid_ <= 0) return -1000;
    kill(pid_, sig);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        pid_ = -1;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        return -WTERMSIG(status);
      }
      usleep(10000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return -1000;
  }

  // What the server wrote to stderr so far.
  std::string err() const { return ReadFile(err_path_); }

 private:
  int WaitForPort() {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_fd_, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        char buf[256];
        ssize_t n = read(out_fd_, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
        const std::string marker = "listening on http://127.0.0.1:";
        size_t at = out.find(marker);
        if (at != std::string::npos && out.find('\n', at) != std::string::npos) {
          return std::stoi(out.substr(at + marker.size()));
        }
      }
    }
    throw std::runtime_error("steady serve did not start: " + out + ReadFile(err_path_));
  }

  TempDir logs_;
  std::string err_path_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
};

}  // namespace steady::testing

#endif  // STEADY_TESTS_SUPPORT_SERVER_PROCESS_H_

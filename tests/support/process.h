// Process helpers for tests that drive the real `dateline` binary.
//
// RunCommand runs a command to completion and captures its exit code,
// stdout and stderr. ServerProcess starts `dateline serve` (or demo) with
// `--listen 127.0.0.1:0`, reads the "listening on http://HOST:PORT" line
// to learn the port, and stops the server with SIGTERM when destroyed.
// For tests only; not thread-safe.
#pragma once

#include <string>
#include <vector>

namespace dateline::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// argv[0] is the program path. `input` is written to the child's stdin.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

// The dateline binary under test.
std::string DatelineBinary();

class ServerProcess {
 public:
  // Starts the server; port() is 0 if it failed to start (see error()).
  explicit ServerProcess(const std::vector<std::string>& argv);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  const std::string& error() const { return error_; }
  // Sends SIGTERM and waits; returns the exit status (or -1).
  int Stop();
  // What the server wrote to stderr so far (read after Stop()).
  std::string Stderr();

 private:
  int pid_ = -1;
  int err_fd_ = -1;
  unsigned short port_ = 0;
  std::string error_;
  std::string stderr_;
};

}  // namespace dateline::testing

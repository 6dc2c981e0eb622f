#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace dateline::testing {

namespace {

std::vector<char*> Argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  return out;
}

}  // namespace

std::string DatelineBinary() { return DATELINE_BINARY; }

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    auto args = Argv(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Feed stdin, then collect both outputs without deadlocking on full pipes.
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  CommandResult r;
  bool out_open = true, err_open = true;
  while (out_open || err_open || in_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[n++] = {err_pipe[0], POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    if (poll(fds, static_cast<nfds_t>(n), 60000) <= 0) break;
    for (int i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w <= 0 || written == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      char buf[65536];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      bool is_out = fds[i].fd == out_pipe[0];
      if (got > 0) {
        (is_out ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
      } else {
        (is_out ? out_open : err_open) = false;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

ServerProcess::ServerProcess(const std::vector<std::string>& argv) {
  int out_pipe[2];
  if (pipe(out_pipe) != 0) {
    error_ = "pipe failed";
    return;
  }
  // stderr (the access log) goes to an unlinked temporary file, so a busy
  // server never blocks on a pipe nobody drains.
  char tmpl[] = "/tmp/dateline-server-log-XXXXXX";
  err_fd_ = mkstemp(tmpl);
  if (err_fd_ >= 0) unlink(tmpl);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    if (err_fd_ >= 0) dup2(err_fd_, 2);
    close(out_pipe[0]);
    close(out_pipe[1]);
    auto args = Argv(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  // Read stdout until the "listening on" line (or 20 s).
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const std::string marker = "listening on http://";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_pipe[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char c;
    ssize_t n = read(out_pipe[0], &c, 1);
    if (n <= 0) break;
    if (c != '\n') {
      line += c;
      continue;
    }
    auto pos = line.find(marker);
    if (pos != std::string::npos) {
      auto colon = line.rfind(':');
      port_ = static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
      break;
    }
    line.clear();
  }
  close(out_pipe[0]);  // later output goes nowhere (the server writes nothing more there)
  if (port_ == 0) {
    error_ = "server did not start: " + line;
    Stop();
    error_ += " " + stderr_;
  }
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {  // up to 20 s
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    usleep(100000);
  }
  bool killed = false;
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    killed = true;
  }
  if (err_fd_ >= 0) {
    lseek(err_fd_, 0, SEEK_SET);
    stderr_ += ReadAll(err_fd_);
    close(err_fd_);
    err_fd_ = -1;
  }
  if (killed) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ServerProcess::Stderr() { return stderr_; }

ServerProcess::~ServerProcess() { Stop(); }

}  // namespace dateline::testing

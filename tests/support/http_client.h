// A blocking HTTP/1.1 client for whole-site tests (Boost.Beast, one
// connection per call unless a Connection is kept), plus RawExchange for
// sending malformed bytes. Every call has a 10-second deadline. Tests only.
#pragma once

#include <map>
#include <string>

namespace dateline::testing {

struct HttpResult {
  int status = 0;                             // 0 when the request failed
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string error;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

HttpResult HttpRequest(unsigned short port, const std::string& method, const std::string& target,
                       const std::map<std::string, std::string>& headers = {});
inline HttpResult HttpGet(unsigned short port, const std::string& target) {
  return HttpRequest(port, "GET", target);
}

// Writes `bytes` to a fresh connection and returns everything the server
// sends back until it closes the connection (or the deadline passes).
std::string RawExchange(unsigned short port, const std::string& bytes);

}  // namespace dateline::testing

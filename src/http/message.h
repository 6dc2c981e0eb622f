// Request, Response and Handler: the transport-free face of HTTP.
//
// A Handler maps a Request to a Response and never sees a socket (DESIGN.md,
// "Handlers are pure"). The server fills a Request from the wire: `path` is
// already percent-decoded and validated (starts with '/', no %00, no invalid
// escape, no ".." segment), header names are lower-cased, and for HEAD the
// method is "HEAD" (a handler may answer it like GET; the server drops the
// body and keeps its Content-Length). A handler may throw: the server logs
// the exception and answers a fixed 500 page, and keeps serving.
//
// Response headers are sent as given, except that the server owns framing
// (Content-Length, Transfer-Encoding, Connection) and adds Date and
// "Server: dateline" unless the handler set them. A header named
// "content-type" overrides `content_type`.
//
// Both structs are plain values: safe to copy and move across threads; a
// const Request may be read from several threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dateline::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "HEAD", "POST", ...
  std::string target;  // as received: "/a%20b/?q=x"
  std::string path;    // percent-decoded path, without query: "/a b/"
  std::string query;   // raw query string without '?': "q=x"
  HeaderList headers;  // names lower-cased, values as received
  std::string body;
  std::string remote_address;  // peer IP, e.g. "127.0.0.1"

  // The first header named `lower_name` (which must be lower-case), or
  // nullptr when absent. The pointer lives as long as this Request.
  const std::string* Header(std::string_view lower_name) const;

  // The percent/'+'-decoded value of the first query parameter `name`, or ""
  // when absent.
  std::string QueryParam(std::string_view name) const;
};

// A 200 response as the bytes an HTTP/1.1 keep-alive answer puts on the
// wire, made once and sent many times (the response cache keeps one per
// coding of each page): `head` runs from the status line to the header
// before Date, `tail` from the header after Date to the last header (the
// blank line is not in it), and `body` is the content. Sending it writes
// head, the current Date line, tail, "Connection: close" when the
// connection ends, the blank line and the body (not for HEAD), with no
// copy: the same bytes as sending the Response it was made from
// (wire::Prepare). `body` points into memory the owner of the
// PreparedResponse keeps alive.
struct PreparedResponse {
  std::string head;
  std::string tail;
  std::string_view body;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  HeaderList headers;  // sent as-is (see header comment)
  std::string body;
  // When set (only by a FastHandler), the server sends these bytes and
  // ignores every field above but `status`.
  std::shared_ptr<const PreparedResponse> prepared = nullptr;

  // A text/plain response.
  static Response Text(int status, std::string body);
  // A redirect (301, 302, 303, 307, 308) to `location`, with an empty body.
  static Response Redirect(int status, std::string location);
};

// Pure: no sockets. May be called concurrently from every I/O thread, so it
// must be thread-safe. May throw (the server turns it into a 500).
using Handler = std::function<Response(const Request&)>;

// Answers a request from memory when it can (a render cache hit), or
// declines with nullopt. Runs on an I/O thread, so it must not block: no
// store, no rendering, no waiting for another thread's render. Thread-safe;
// may throw (a 500). The server asks it only for HTTP/1.1 requests, so its
// answer may be a prepared one (Response::prepared).
using FastHandler = std::function<std::optional<Response>(const Request&)>;

}  // namespace dateline::http

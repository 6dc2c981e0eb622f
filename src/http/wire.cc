#include "http/wire.h"

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

#include "http/url.h"

namespace dateline::http::wire {

namespace bhttp = boost::beast::http;

namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// RFC 9110 section 5.6.2 token.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum &&
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// RFC 9110 section 5.5 field value: visible bytes, space, tab, obs-text.
bool IsFieldValue(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// Headers the server derives from the message itself.
bool IsFramingHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
         EqualsIgnoreCase(name, "connection") || EqualsIgnoreCase(name, "keep-alive");
}

}  // namespace

Result<Request> FromBeast(BeastRequest&& in, std::string remote_address) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  if (r.target.empty() || r.target.front() != '/') {
    return Fail(Status::InvalidArgument("target does not start with '/'"));
  }
  for (unsigned char c : r.target) {
    if (c <= 0x20 || c == 0x7f) return Fail(Status::InvalidArgument("control byte in target"));
  }
  TargetParts parts = SplitTarget(r.target);
  Result<std::string> path = DecodePath(parts.path);
  if (!path) return Fail(path.error());
  r.path = std::move(*path);
  r.query = std::string(parts.query);
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = Lower(c);
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = std::move(in.body());
  r.remote_address = std::move(remote_address);
  return r;
}

Result<BeastResponse> ToBeast(Response in, const Framing& framing) {
  if (in.status < 200 || in.status > 599) {
    return Fail(
        Status::Internal("handler status " + std::to_string(in.status) + " is outside 200..599"));
  }
  BeastResponse out;
  out.version(framing.version);
  out.result(static_cast<unsigned>(in.status));
  bool has_date = false;
  bool has_server = false;
  bool has_type = false;
  for (const auto& [name, value] : in.headers) {
    if (!IsToken(name) || !IsFieldValue(value)) {
      return Fail(Status::Internal("handler header is not a valid field (name " +
                                   std::to_string(name.size()) + " bytes)"));
    }
    if (IsFramingHeader(name)) continue;
    has_date = has_date || EqualsIgnoreCase(name, "date");
    has_server = has_server || EqualsIgnoreCase(name, "server");
    has_type = has_type || EqualsIgnoreCase(name, "content-type");
    out.insert(name, value);
  }
  if (!has_server) out.set(bhttp::field::server, "dateline");
  if (!has_date) out.set(bhttp::field::date, std::string(framing.date));
  // 204 and 304 carry no content, so no length and (for 204) no type.
  const bool no_content = in.status == 204 || in.status == 304;
  if (!has_type && !in.content_type.empty() && in.status != 204) {
    out.set(bhttp::field::content_type, in.content_type);
  }
  if (!no_content) {
    out.content_length(in.body.size());
    if (!framing.head) out.body() = std::move(in.body);
  }
  out.keep_alive(framing.keep_alive);
  return out;
}

Result<PreparedResponse> Prepare(Response in) {
  if (in.status != 200) {
    return Fail(Status::Internal("only a 200 response is prepared, not " + std::to_string(in.status)));
  }
  // A stand-in Date that no header value can contain (control bytes), cut
  // out of the serialized header below.
  static constexpr std::string_view kDateMark = "\x01" "date" "\x01";
  Result<BeastResponse> beast =
      ToBeast(std::move(in), Framing{11, /*keep_alive=*/true, /*head=*/true, kDateMark});
  if (!beast) return Fail(beast.error());
  std::ostringstream out;
  out << beast->base();
  const std::string bytes = out.str();
  const std::string date_line = "Date: " + std::string(kDateMark) + "\r\n";
  const std::size_t at = bytes.find(date_line);
  if (at == std::string::npos || !bytes.ends_with("\r\n\r\n") ||
      bytes.find(kDateMark, at + date_line.size()) != std::string::npos) {
    return Fail(Status::Internal("prepared response: no single Date line in the header"));
  }
  PreparedResponse p;
  p.head = bytes.substr(0, at);
  const std::size_t tail = at + date_line.size();
  p.tail = bytes.substr(tail, bytes.size() - 2 - tail);
  return p;
}

Response ErrorPage(int status) {
  std::string reason(bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
  if (reason.empty() || reason == "<unknown-status>") reason = "Error";
  Response r;
  r.status = status;
  r.body = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + std::to_string(status) +
           " " + reason + "</title></head><body><h1>" + reason + "</h1></body></html>\n";
  return r;
}

}  // namespace dateline::http::wire

// Wire: conversion between Beast messages and the transport-free
// Request/Response, and the server's own fixed error pages.
//
// FromBeast validates what a handler may rely on (target starts with '/',
// no control bytes, path decodes; see url.h) and fails with InvalidArgument
// otherwise, which the session answers with 400. ToBeast owns framing: it
// sets Content-Length (for HEAD the length of the body it drops), Connection,
// Date and Server; it fails with Internal when the handler's status is not in
// 200..599 or a header could split the response (a name that is not a token,
// a value with CR, LF or another control byte), which the session answers
// with 500. Pure functions; thread-safe.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"

namespace dateline::http::wire {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

Result<Request> FromBeast(BeastRequest&& in, std::string remote_address);

struct Framing {
  unsigned version = 11;   // 10 or 11, the request's version
  bool keep_alive = true;  // false sends "Connection: close" (1.1) / nothing (1.0)
  bool head = false;       // drop the body, keep its Content-Length
  std::string_view date;   // IMF-fixdate, see http_date.h
};

Result<BeastResponse> ToBeast(Response in, const Framing& framing);

// The head and tail of `in` as an HTTP/1.1 keep-alive answer (see
// PreparedResponse): ToBeast's header, serialized as Beast writes it, split
// around its Date line. Content-Length is `in.body`'s size; the caller sets
// the prepared body. Fails as ToBeast does, and for a status other than 200.
Result<PreparedResponse> Prepare(Response in);

// A short fixed HTML page for a status the server generates itself (400,
// 408, 413, 431, 500, ...). Contains nothing from the request.
Response ErrorPage(int status);

}  // namespace dateline::http::wire

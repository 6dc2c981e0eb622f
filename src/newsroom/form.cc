#include "newsroom/form.h"

#include "http/url.h"

namespace dateline::newsroom {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' ||
                        s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string NormalizeNewlines(std::string s) {
  if (s.find('\r') == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

Form Form::Parse(std::string_view body) {
  Form form;
  while (!body.empty() && form.fields_.size() < kMaxFields) {
    std::size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string name = http::DecodeQueryComponent(pair.substr(0, eq));
    std::string value =
        eq == std::string_view::npos ? std::string() : http::DecodeQueryComponent(pair.substr(eq + 1));
    form.fields_.emplace_back(std::move(name), NormalizeNewlines(std::move(value)));
  }
  return form;
}

std::optional<std::string> Form::Find(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string Form::Get(std::string_view name) const { return Find(name).value_or(std::string()); }

void Form::Set(std::string_view name, std::string value) {
  std::erase_if(fields_, [&](const auto& f) { return f.first == name; });
  fields_.emplace_back(std::string(name), std::move(value));
}

std::string CookieValue(const http::Request& req, std::string_view name) {
  for (const auto& [header, value] : req.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view item = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      std::size_t eq = item.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(item.substr(0, eq)) != name) continue;
      std::string_view v = Trim(item.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
  }
  return {};
}

std::string SetCookie(std::string_view name, std::string_view value, const CookieOptions& options) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + options.path;
  if (options.max_age) out += "; Max-Age=" + std::to_string(*options.max_age);
  if (options.http_only) out += "; HttpOnly";
  if (!options.same_site.empty()) out += "; SameSite=" + options.same_site;
  if (options.secure) out += "; Secure";
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    std::size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace dateline::newsroom

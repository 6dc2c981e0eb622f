#include "newsroom/admin_util.h"

#include <charconv>

namespace dateline::newsroom::admin {

using nlohmann::json;

void Harden(http::Response& r) {
  std::erase_if(r.headers, [](const auto& h) {
    std::string name = h.first;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name == "cache-control";
  });
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; object-src 'none'; base-uri 'none'; "
                         "form-action 'self'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
}

http::Response Json(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  Harden(r);
  return r;
}

http::Response JsonError(int status, std::string_view message, std::string_view field) {
  json body = {{"error", message}};
  body["field"] = field.empty() ? json(nullptr) : json(field);
  return Json(status, body);
}

int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument: return 422;
    case Status::Code::kPermissionDenied: return 403;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kConflict: return 409;
    case Status::Code::kUnavailable: return 503;
    default: return 500;
  }
}

http::Response JsonError(const Status& s) {
  auto errors = ErrorsOf(s);
  std::string field;
  for (const auto& [name, reason] : errors) {
    if (!name.empty()) {
      field = name;
      break;
    }
  }
  return JsonError(HttpStatusOf(s), s.message(), field);
}

std::optional<std::int64_t> ParseId(std::string_view s) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

int IntParam(const http::Request& req, std::string_view name, int fallback) {
  std::string v = req.QueryParam(name);
  int n = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc() && ptr == v.data() + v.size() && n > 0 ? n : fallback;
}

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string LocalInputTime(Seconds t, const TimeZone& zone) {
  CivilTime c = zone.ToCivil(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u", c.year, c.month, c.day, c.hour,
                c.minute);
  return buf;
}

Result<Seconds> ParseLocalInputTime(std::string_view text, const TimeZone& zone) {
  auto bad = [&] {
    return Fail(Status::InvalidArgument("field \"published_at\": \"" + std::string(text) +
                                        "\" is not a date and time (YYYY-MM-DD HH:MM)"));
  };
  auto number = [&](std::size_t at, std::size_t len, int& out) {
    if (at + len > text.size()) return false;
    auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + len, out);
    return ec == std::errc() && ptr == text.data() + at + len;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() != 16 && text.size() != 19) return bad();
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') ||
      text[13] != ':') {
    return bad();
  }
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || !number(11, 2, hour) ||
      !number(14, 2, minute)) {
    return bad();
  }
  if (text.size() == 19 && (text[16] != ':' || !number(17, 2, second))) return bad();
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 59) {
    return bad();
  }
  // The same wall-clock time read as UTC, then moved by the zone's offset
  // at that instant (twice, so a change of offset in between is followed).
  Seconds as_utc = TimeZone::Utc().StartOfDay(year, static_cast<unsigned>(month),
                                              static_cast<unsigned>(day)) +
                   hour * 3600 + minute * 60 + second;
  CivilTime check = TimeZone::Utc().ToCivil(as_utc);
  if (check.day != static_cast<unsigned>(day)) return bad();  // e.g. 31 April
  Seconds guess = as_utc - zone.ToCivil(as_utc).offset_seconds;
  guess = as_utc - zone.ToCivil(guess).offset_seconds;
  return guess;
}

bool SafeNext(std::string_view next) {
  if (next != "/admin" && !next.starts_with("/admin/") && !next.starts_with("/admin?")) {
    return false;
  }
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return next.find("//") == std::string_view::npos;
}

std::string FormFieldOf(std::string_view field) {
  if (field == "slug") return "headline";
  if (field == "note") return "correction";
  if (field == "lead_image" || field == "lead_image.url") return "lead_image_url";
  if (field == "lead_image.alt") return "lead_image_alt";
  if (field == "lead_image.caption") return "lead_image_caption";
  if (field == "lead_image.credit") return "lead_image_credit";
  if (field == "status" || field == "version") return "";
  return std::string(field);
}

std::map<std::string, std::string> ErrorsOf(const Status& s) {
  std::map<std::string, std::string> out;
  std::string_view rest = s.message();
  static constexpr std::string_view kPrefix = "field \"";
  while (!rest.empty()) {
    std::size_t semi = rest.find("; field \"");
    std::string_view item = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 2);
    std::string field;
    std::string reason(item);
    std::size_t at = item.find(kPrefix);
    if (at != std::string_view::npos) {
      std::size_t end = item.find('"', at + kPrefix.size());
      if (end != std::string_view::npos) {
        field = std::string(item.substr(at + kPrefix.size(), end - at - kPrefix.size()));
        std::string_view r = item.substr(end + 1);
        if (r.starts_with(":")) r.remove_prefix(1);
        reason = std::string(Trim(r));
      }
    } else {
      // The store's messages start with the field: `headline: required`.
      for (std::string_view known : {"headline", "body", "section", "slug", "email", "name"}) {
        if (item.starts_with(known) && item.size() > known.size() &&
            (item[known.size()] == ':' || item[known.size()] == ' ')) {
          field = std::string(known);
          break;
        }
      }
    }
    std::string form_field = FormFieldOf(field);
    std::string& slot = out[form_field];
    if (!slot.empty()) slot += "; ";
    slot += Capitalized(reason);
  }
  return out;
}

std::string Capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

json RoleOptions(Role selected) {
  json out = json::array();
  for (Role r : {Role::kContributor, Role::kAuthor, Role::kEditor, Role::kAdmin}) {
    out.push_back({{"value", RoleName(r)},
                   {"label", Capitalized(RoleName(r))},
                   {"selected", r == selected}});
  }
  return out;
}

}  // namespace dateline::newsroom::admin

#include "core/permalink.h"

#include <array>
#include <utility>

namespace dateline {

namespace {

struct TagInfo {
  std::string_view name;
  std::string_view regex;
};

// Indexed by PermalinkPattern::Tag.
constexpr std::array<TagInfo, 9> kTags = {{
    {"%year%", "([0-9]{4})"},
    {"%monthnum%", "([0-9]{2})"},
    {"%day%", "([0-9]{2})"},
    {"%hour%", "([0-9]{2})"},
    {"%minute%", "([0-9]{2})"},
    {"%second%", "([0-9]{2})"},
    {"%postname%", "([a-z0-9-]+)"},
    {"%category%", "([a-z0-9-]+)"},
    {"%post_id%", "([0-9]+)"},
}};

std::string RegexEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

Result<PermalinkPattern> PermalinkPattern::Parse(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    return Fail(Status::InvalidArgument("permalink pattern \"" + std::string(pattern) +
                                        "\" must start with '/'"));
  }
  PermalinkPattern p;
  p.pattern_ = pattern;
  bool has_postname = false;
  std::string regex = "^";
  std::size_t i = 0;
  while (i < pattern.size()) {
    bool matched = false;
    if (pattern[i] == '%') {
      for (std::size_t t = 0; t < kTags.size(); ++t) {
        if (pattern.substr(i, kTags[t].name.size()) == kTags[t].name) {
          p.pieces_.push_back({false, "", static_cast<Tag>(t)});
          regex += kTags[t].regex;
          has_postname |= static_cast<Tag>(t) == Tag::kPostname;
          i += kTags[t].name.size();
          matched = true;
          break;
        }
      }
      if (!matched) {
        return Fail(Status::InvalidArgument(
            "permalink pattern \"" + std::string(pattern) + "\": unknown tag at \"" +
            std::string(pattern.substr(i)) +
            "\" (known: %year% %monthnum% %day% %hour% %minute% %second% %postname% "
            "%category% %post_id%)"));
      }
      continue;
    }
    std::size_t next = pattern.find('%', i);
    if (next == std::string_view::npos) next = pattern.size();
    std::string_view lit = pattern.substr(i, next - i);
    p.pieces_.push_back({true, std::string(lit), Tag::kPostname});
    regex += RegexEscape(lit);
    i = next;
  }
  if (!has_postname) {
    return Fail(Status::InvalidArgument("permalink pattern \"" + std::string(pattern) +
                                        "\" must contain %postname%"));
  }
  regex += "$";
  p.regex_ = std::regex(regex, std::regex::ECMAScript | std::regex::optimize);
  return p;
}

std::string PermalinkPattern::Build(const Article& a, const TimeZone& zone) const {
  CivilTime c = zone.ToCivil(a.published_at.value_or(a.created_at));
  std::string out;
  for (const Piece& piece : pieces_) {
    if (piece.literal) {
      out += piece.text;
      continue;
    }
    switch (piece.tag) {
      case Tag::kYear: out += std::to_string(c.year); break;
      case Tag::kMonth: out += TwoDigits(c.month); break;
      case Tag::kDay: out += TwoDigits(c.day); break;
      case Tag::kHour: out += TwoDigits(c.hour); break;
      case Tag::kMinute: out += TwoDigits(c.minute); break;
      case Tag::kSecond: out += TwoDigits(c.second); break;
      case Tag::kPostname: out += a.slug; break;
      case Tag::kCategory: out += a.section.empty() ? "uncategorized" : a.section; break;
      case Tag::kPostId: out += std::to_string(a.id); break;
    }
  }
  return out;
}

std::optional<PermalinkMatch> PermalinkPattern::Match(std::string_view path) const {
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(path.begin(), path.end(), m, regex_)) return std::nullopt;
  PermalinkMatch out;
  std::size_t group = 1;
  for (const Piece& piece : pieces_) {
    if (piece.literal) continue;
    std::string v = m[group++].str();
    switch (piece.tag) {
      case Tag::kYear: out.year = std::stoi(v); break;
      case Tag::kMonth: out.month = std::stoi(v); break;
      case Tag::kDay: out.day = std::stoi(v); break;
      case Tag::kPostname: out.slug = std::move(v); break;
      case Tag::kCategory: out.section = std::move(v); break;
      case Tag::kPostId:
        if (v.size() > 18) return std::nullopt;
        out.id = std::stoll(v);
        break;
      default: break;
    }
  }
  return out;
}

}  // namespace dateline

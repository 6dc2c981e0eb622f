#include "interop/shortcodes.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "base/escape.h"
#include "text/url_filter.h"

namespace dateline {

namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::size_t FindNoCase(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    bool eq = true;
    for (std::size_t k = 0; k < needle.size() && eq; ++k) eq = Lower(hay[i + k]) == needle[k];
    if (eq) return i;
  }
  return std::string_view::npos;
}

// shortcode_parse_atts(): name="v", name='v', name=v, "v", 'v', v.
struct Attrs {
  std::vector<std::pair<std::string, std::string>> named;
  std::vector<std::string> positional;
  std::string Get(std::string_view key) const {
    for (const auto& [k, v] : named) {
      if (k == key) return v;
    }
    return "";
  }
};

Attrs ParseAttrs(std::string_view s) {
  Attrs out;
  std::size_t i = 0;
  auto value = [&]() {
    std::string v;
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      char q = s[i++];
      std::size_t e = s.find(q, i);
      if (e == std::string_view::npos) e = s.size();
      v = std::string(s.substr(i, e - i));
      i = e < s.size() ? e + 1 : e;
    } else {
      std::size_t b = i;
      while (i < s.size() && !IsSpace(s[i])) ++i;
      v = std::string(s.substr(b, i - b));
    }
    return v;
  };
  while (i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size()) break;
    std::size_t b = i;
    while (i < s.size() && IsNameChar(s[i])) ++i;
    if (i > b && i < s.size() && s[i] == '=') {
      std::string key;
      for (std::size_t k = b; k < i; ++k) key += Lower(s[k]);
      ++i;
      out.named.emplace_back(std::move(key), value());
    } else {
      i = b;
      out.positional.push_back(value());
    }
  }
  return out;
}

std::vector<std::int64_t> Ids(std::string_view list) {
  std::vector<std::int64_t> out;
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] < '0' || list[i] > '9')) ++i;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(list.data() + i, list.data() + list.size(), v);
    if (ec != std::errc()) break;
    out.push_back(v);
    i = static_cast<std::size_t>(p - list.data());
  }
  return out;
}

std::string Figure(const WpMedia& m) {
  std::string out = "<figure><img src=\"" + EscapeHtml(m.url) + "\" alt=\"" + EscapeHtml(m.alt) +
                    "\">";
  if (!m.caption.empty()) out += "<figcaption>" + EscapeHtml(m.caption) + "</figcaption>";
  return out + "</figure>";
}

std::string Caption(const Attrs& attrs, std::string_view content) {
  std::string caption = attrs.Get("caption");
  std::string media(Trim(content));
  std::string before;
  if (caption.empty()) {
    // img_caption_shortcode: ((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)
    std::size_t img = FindNoCase(content, "<img");
    if (img != std::string_view::npos) {
      std::size_t start = img;
      std::size_t a = content.substr(0, img).rfind('<');
      if (a != std::string_view::npos && FindNoCase(content.substr(a, 3), "<a ") == 0) {
        std::size_t gt = content.find('>', a);
        if (gt != std::string_view::npos && gt < img && Trim(content.substr(gt + 1, img - gt - 1)).empty()) {
          start = a;
        }
      }
      std::size_t end = content.find('>', img);
      end = end == std::string_view::npos ? content.size() : end + 1;
      if (start != img) {
        std::size_t close = FindNoCase(content, "</a>", end);
        if (close != std::string_view::npos && Trim(content.substr(end, close - end)).empty()) {
          end = close + 4;
        }
      }
      before = std::string(Trim(content.substr(0, start)));
      media = std::string(content.substr(start, end - start));
      caption = std::string(Trim(content.substr(end)));
    }
  }
  std::string out = before + "<figure class=\"wp-caption\">" + media;
  if (!caption.empty()) out += "<figcaption>" + caption + "</figcaption>";
  return out + "</figure>";
}

std::string Gallery(const Attrs& attrs, const ShortcodeContext& ctx, ShortcodeReport& report) {
  std::vector<const WpMedia*> items;
  std::string ids = attrs.Get("ids");
  if (ids.empty()) ids = attrs.Get("include");
  if (!ids.empty()) {
    for (std::int64_t id : Ids(ids)) {
      const WpMedia* m = ctx.media ? ctx.media(id) : nullptr;
      if (m == nullptr) report.missing_media.push_back(id);
      else items.push_back(m);
    }
  } else if (ctx.attached) {
    items = ctx.attached();
  }
  if (items.empty()) return "";
  std::string out = "<ul class=\"gallery\">";
  for (const WpMedia* m : items) out += "<li>" + Figure(*m) + "</li>";
  return out + "</ul>";
}

// The video id in a YouTube or Vimeo URL, and which player it needs.
struct Player {
  std::string host;  // the iframe's host
  std::string src;
};

std::optional<Player> PlayerFor(std::string_view url) {
  auto filtered = FilterUrl(url);
  if (!filtered) return std::nullopt;
  std::string_view u = *filtered;
  std::size_t scheme = u.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  std::string_view rest = u.substr(scheme + 3);
  std::size_t slash = rest.find_first_of("/?#");
  std::string host;
  for (char c : rest.substr(0, slash)) host += Lower(c);
  std::string_view tail = slash == std::string_view::npos ? "" : rest.substr(slash);
  auto id_ok = [](std::string_view id) {
    return id.size() >= 6 && id.size() <= 20 &&
           std::all_of(id.begin(), id.end(), [](char c) { return IsNameChar(c); });
  };
  std::string id;
  if (host == "youtu.be") {
    if (tail.size() > 1) id = std::string(tail.substr(1, tail.find_first_of("?#&") - 1));
  } else if (host == "youtube.com" || host == "www.youtube.com" || host == "m.youtube.com") {
    std::size_t v = tail.find("v=");
    if (tail.starts_with("/watch") && v != std::string_view::npos &&
        (tail[v - 1] == '?' || tail[v - 1] == '&')) {
      std::string_view rest_id = tail.substr(v + 2);
      id = std::string(rest_id.substr(0, rest_id.find_first_of("&#")));
    }
  } else if (host == "vimeo.com" || host == "www.vimeo.com") {
    std::string_view digits = tail.substr(tail.empty() ? 0 : 1);
    digits = digits.substr(0, digits.find_first_of("/?#"));
    if (!digits.empty() &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Player{"player.vimeo.com", "https://player.vimeo.com/video/" + std::string(digits)};
    }
    return std::nullopt;
  }
  if (!id_ok(id)) return std::nullopt;
  return Player{"www.youtube.com", "https://www.youtube.com/embed/" + id};
}

}  // namespace

std::string EmbedHtml(std::string_view url, const std::vector<std::string>& iframe_hosts) {
  std::string u(Trim(url));
  if (auto player = PlayerFor(u)) {
    for (const std::string& h : iframe_hosts) {
      std::string lower;
      for (char c : h) lower += Lower(c);
      if (lower == player->host) {
        return "<figure class=\"embed\"><iframe src=\"" + EscapeHtml(player->src) +
               "\" width=\"640\" height=\"360\" title=\"Embedded video\" allowfullscreen "
               "loading=\"lazy\"></iframe></figure>";
      }
    }
  }
  return "<p><a href=\"" + EscapeHtml(u) + "\">" + EscapeHtml(u) + "</a></p>";
}

std::string EmbedBareUrls(std::string_view text, const ShortcodeContext& ctx,
                          ShortcodeReport& report) {
  std::string out;
  std::size_t start = 0;
  bool in_pre = false;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(start, end - start);
    std::string_view t = Trim(line);
    if (FindNoCase(line, "<pre") != std::string_view::npos) in_pre = true;
    bool url = !in_pre && (t.starts_with("http://") || t.starts_with("https://")) &&
               std::none_of(t.begin(), t.end(),
                            [](char c) { return IsSpace(c) || c == '<' || c == '>' || c == '"'; });
    if (url) {
      out += EmbedHtml(t, ctx.iframe_hosts);
      ++report.embeds;
    } else {
      out.append(line);
    }
    if (FindNoCase(line, "</pre") != std::string_view::npos) in_pre = false;
    if (nl == std::string_view::npos) break;
    out += '\n';
    start = nl + 1;
  }
  return out;
}

std::string ExpandShortcodes(std::string_view text, const ShortcodeContext& ctx,
                             ShortcodeReport& report) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t open = text.find('[', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    bool escaped = open + 1 < text.size() && text[open + 1] == '[';
    std::size_t n = open + (escaped ? 2 : 1);
    std::size_t name_start = n;
    if (n < text.size() && IsNameStart(text[n])) {
      while (n < text.size() && IsNameChar(text[n])) ++n;
    }
    if (n == name_start || n >= text.size() ||
        !(IsSpace(text[n]) || text[n] == ']' || text[n] == '/')) {
      out += '[';
      i = open + 1;
      continue;
    }
    std::string name(text.substr(name_start, n - name_start));
    std::size_t close = text.find(']', n);
    std::size_t next_open = text.find('[', n);
    if (close == std::string_view::npos || (next_open != std::string_view::npos && next_open < close)) {
      out += '[';
      i = open + 1;
      continue;
    }
    std::string_view attr_text = text.substr(n, close - n);
    bool self_closing = !attr_text.empty() && attr_text.back() == '/';
    if (self_closing) attr_text.remove_suffix(1);
    std::size_t end = close + 1;  // one past the whole shortcode
    std::string_view content;
    bool enclosing = false;
    if (!self_closing) {
      std::string closing = "[/" + name + "]";
      std::size_t c = text.find(closing, end);
      if (c != std::string_view::npos) {
        content = text.substr(end, c - end);
        end = c + closing.size();
        enclosing = true;
      }
    }
    if (escaped) {
      // [[name]] is the literal text [name].
      if (end < text.size() && text[end] == ']') {
        out.append(text.substr(open + 1, end - open - 1));
        i = end + 1;
      } else {
        out += '[';
        i = open + 1;
      }
      continue;
    }
    Attrs attrs = ParseAttrs(attr_text);
    std::string lower;
    for (char c : name) lower += Lower(c);
    if (lower == "caption" || lower == "wp_caption") {
      out += Caption(attrs, ExpandShortcodes(content, ctx, report));
    } else if (lower == "embed") {
      std::string_view url = enclosing ? Trim(content) : std::string_view();
      if (!url.empty()) {
        out += EmbedHtml(url, ctx.iframe_hosts);
        ++report.embeds;
      }
    } else if (lower == "gallery") {
      out += Gallery(attrs, ctx, report);
      if (enclosing) out += ExpandShortcodes(content, ctx, report);
    } else {
      // Unknown: the opening tag stays as text; what it encloses is still read.
      ++report.unknown[lower];
      out.append(text.substr(open, close + 1 - open));
      i = close + 1;
      continue;
    }
    i = end;
  }
  return out;
}

}  // namespace dateline

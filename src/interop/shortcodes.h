// WordPress shortcodes and oEmbed lines, turned into plain HTML for import.
//
// ExpandShortcodes scans WordPress post content for shortcodes the way
// WordPress's get_shortcode_regex() does: "[name attrs]", "[name attrs /]",
// "[name attrs]content[/name]" (content up to the first "[/name]"), and the
// escape "[[name]]", which stays as the literal text "[name]". Names start
// with a letter, then letters, digits, '_' or '-'. Attributes are
// name="v", name='v', name=v or positional values. What each becomes:
//
//   [caption]/[wp_caption]  <figure>MEDIA<figcaption>TEXT</figcaption></figure>;
//                           MEDIA is the first <img> (with its <a> around it),
//                           TEXT the caption="" attribute or the rest of the content
//   [embed]URL[/embed]      EmbedHtml(URL)
//   [gallery ids="1,2"]     <ul class="gallery"> of <li><figure><img><figcaption>,
//                           from the export's attachments (ids, or include=;
//                           without either, the post's attached images in
//                           menu order); unknown ids are counted as missing media
//   anything else           kept as text, counted by name in the report
//
// EmbedBareUrls turns every line that holds only an http(s) URL (WordPress's
// autoembed rule) into EmbedHtml(URL). EmbedHtml gives an <iframe> for a
// YouTube or Vimeo video when the player's host is in `iframe_hosts`, and
// otherwise a paragraph holding a link to the URL.
//
// The output is HTML for the sanitizer: attribute values and URLs written
// here are escaped, but nothing is trusted, so callers must still pass the
// result through SanitizeHtml. Pure functions, thread-safe, never fail.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

struct WpMedia {
  std::string url;
  std::string caption;
  std::string alt;
};

struct ShortcodeContext {
  std::vector<std::string> iframe_hosts;
  // The attachment with this WordPress id, or null.
  std::function<const WpMedia*(std::int64_t id)> media;
  // The images attached to the post being converted, in menu order.
  std::function<std::vector<const WpMedia*>()> attached;
};

struct ShortcodeReport {
  std::map<std::string, int> unknown;       // shortcode name -> times kept as text
  std::vector<std::int64_t> missing_media;  // attachment ids referenced, not in the export
  int embeds = 0;                           // URLs turned into links or players
};

std::string ExpandShortcodes(std::string_view text, const ShortcodeContext& ctx,
                             ShortcodeReport& report);

std::string EmbedBareUrls(std::string_view text, const ShortcodeContext& ctx,
                          ShortcodeReport& report);

std::string EmbedHtml(std::string_view url, const std::vector<std::string>& iframe_hosts);

}  // namespace dateline

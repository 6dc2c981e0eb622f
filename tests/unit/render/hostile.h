// Hostile text shared by the format tests: markup characters, quotes,
// emoji, right-to-left Arabic and Hebrew, Bengali with combining marks.
#pragma once

#include <string>

namespace dateline::testing {

inline const std::string kHostileTitle =
    "Tom & Jerry <script>alert(\"x\")</script> 'quoted' ]]> 😀🇧🇩 مرحبا بالعالم שלום বাংলা ভাষা";
inline const std::string kHostileHtml =
    "<p>Body &amp; <em>more</em> \"q\" ]]&gt; 😀 مرحبا বাংলা</p>";

}  // namespace dateline::testing

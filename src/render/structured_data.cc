#include "render/structured_data.h"

#include "base/escape.h"

namespace dateline {

namespace {

// Written into `out` as it goes: no string per key or value (the
// escaped text is appended in place), and objects walked as the map they
// are (json::items() makes a proxy, with a string of its own, per member).
void Write(const nlohmann::json& j, std::string& out) {
  using nlohmann::json;
  switch (j.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : j.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        out += '"';
        AppendJsonInHtml(out, key);
        out += "\":";
        Write(value, out);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        Write(v, out);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      out += '"';
      AppendJsonInHtml(out, j.get_ref<const std::string&>());
      out += '"';
      return;
    case json::value_t::number_integer:
      out += std::to_string(j.get<std::int64_t>());
      return;
    case json::value_t::number_unsigned:
      out += std::to_string(j.get<std::uint64_t>());
      return;
    case json::value_t::boolean:
    case json::value_t::number_float: out += j.dump(); return;
    default: out += "null"; return;
  }
}

}  // namespace

std::string JsonLdForHtml(const nlohmann::json& doc) {
  if (doc.is_null() || (doc.is_array() && doc.empty())) return "";
  std::string out;
  out.reserve(2048);
  Write(doc, out);
  return out;
}

}  // namespace dateline

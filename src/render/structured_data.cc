#include "render/structured_data.h"

#include "base/escape.h"

namespace dateline {

namespace {

void Write(const nlohmann::json& j, std::string& out) {
  using nlohmann::json;
  switch (j.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : j.items()) {
        if (!first) out += ',';
        first = false;
        out += '"';
        out += EscapeJsonInHtml(key);
        out += "\":";
        Write(value, out);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j) {
        if (!first) out += ',';
        first = false;
        Write(v, out);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      out += '"';
      out += EscapeJsonInHtml(j.get_ref<const std::string&>());
      out += '"';
      return;
    case json::value_t::boolean:
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: out += j.dump(); return;
    default: out += "null"; return;
  }
}

}  // namespace

std::string JsonLdForHtml(const nlohmann::json& doc) {
  if (doc.is_null() || (doc.is_array() && doc.empty())) return "";
  std::string out;
  Write(doc, out);
  return out;
}

}  // namespace dateline

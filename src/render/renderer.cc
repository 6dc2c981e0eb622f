#include "render/renderer.h"

#include <kainjow/mustache.hpp>

#include "base/escape.h"

namespace dateline {

namespace mu = kainjow::mustache;

mu::data MustacheData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (const auto& [key, value] : j.items()) d.set(key, MustacheData(value));
      return d;
    }
    case nlohmann::json::value_t::array: {
      if (j.empty()) return mu::data{false};
      mu::data d{mu::data::type::list};
      for (const auto& v : j) d.push_back(MustacheData(v));
      return d;
    }
    case nlohmann::json::value_t::string: {
      const std::string& s = j.get_ref<const std::string&>();
      if (s.empty()) return mu::data{false};
      return mu::data{s};
    }
    case nlohmann::json::value_t::boolean: return mu::data{j.get<bool>()};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return mu::data{j.dump()};
    default: return mu::data{false};
  }
}


Result<std::string> Renderer::Render(std::string_view template_name,
                                     const nlohmann::json& model) const {
  const std::string* source = theme_.Template(template_name);
  if (source == nullptr) {
    return Fail(Status::Internal("theme has no template \"" + std::string(template_name) + "\""));
  }
  mu::data data = MustacheData(model);
  mu::data assets{mu::data::type::object};
  for (const auto& [name, asset] : theme_.assets()) {
    std::string key = name;
    for (char& c : key) {
      if (c == '.' || c == '/' || c == '-') c = '_';
    }
    assets.set(key, asset.url);
  }
  data.set("assets", assets);
  for (const auto& [name, text] : theme_.partials()) {
    const std::string* body = &text;
    data.set(name, mu::partial([body]() { return *body; }));
  }
  mu::mustache tmpl(*source);
  tmpl.set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) {
    return Fail(Status::Internal("template \"" + std::string(template_name) +
                                 "\": " + tmpl.error_message()));
  }
  return out;
}

}  // namespace dateline

#include "render/renderer.h"

#include <kainjow/mustache.hpp>

#include <deque>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/escape.h"

namespace dateline {

namespace mu = kainjow::mustache;

// kainjow's set() and push_back() copy the value they are given, and a
// copy is deep: a model built bottom-up was copied once per level of
// nesting (a card's fields four times). So each child goes in as an empty
// value (false, cheap to copy) and is then moved into its place. A list
// is given its length first: basic_data's move is not noexcept, so a
// growing std::vector copied (deeply) every element it had. The
// const_casts are sound: the element is owned by `d`, which is not const.
namespace {

// A JSON value that is neither an object nor a list, as every template
// sees it: an empty string false, a number its JSON text, null false.
// With `take` the string is moved out of `j` (whose owner gave it up).
mu::data Leaf(const nlohmann::json& j, bool take) {
  switch (j.type()) {
    case nlohmann::json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      if (s.empty()) return mu::data{false};
      if (!take) return mu::data{s};
      mu::data d{mu::data::type::string};
      const_cast<std::string&>(d.string_value()) = std::move(const_cast<std::string&>(s));
      return d;
    }
    case nlohmann::json::value_t::boolean: return mu::data{j.get<bool>()};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return mu::data{j.dump()};
    default: return mu::data{false};
  }
}

mu::data Convert(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (const auto& [key, value] : j.items()) {
        d.set(key, mu::data{false});
        *const_cast<mu::data*>(d.get(key)) = Convert(value);
      }
      return d;
    }
    case nlohmann::json::value_t::array: {
      if (j.empty()) return mu::data{false};
      mu::data d{mu::data::type::list};
      const_cast<mu::list&>(d.list_value()).reserve(j.size());
      for (const auto& v : j) {
        d.push_back(mu::data{false});
        const_cast<mu::data&>(d.list_value().back()) = Convert(v);
      }
      return d;
    }
    default: return Leaf(j, false);
  }
}

}  // namespace

mu::data MustacheData(const nlohmann::json& j) { return Convert(j); }

SharedJson::SharedJson(nlohmann::json j) : json(std::move(j)), data(MustacheData(json)) {}

nlohmann::json SharedStandIn(std::size_t index) {
  nlohmann::json j = nlohmann::json::object();
  j[std::string(kSharedKey)] = index;
  return j;
}

namespace {

// The tree `j` stands for, or null.
const SharedJson* StandsFor(const nlohmann::json& j, const SharedTrees& trees) {
  if (!j.is_object() || j.size() != 1) return nullptr;
  auto it = j.begin();
  if (it.key() != kSharedKey || !it->is_number_unsigned()) return nullptr;
  const auto index = it->get<std::size_t>();
  return index < trees.size() && trees[index] ? trees[index].get() : nullptr;
}

void Expand(nlohmann::json& j, const SharedTrees& trees) {
  if (const SharedJson* tree = StandsFor(j, trees)) {
    j = tree->json;
    return;
  }
  if (j.is_structured()) {
    for (auto& child : j) Expand(child, trees);
  }
}

}  // namespace

const nlohmann::json& SharedTree(const nlohmann::json& j, const SharedTrees& trees) {
  const SharedJson* tree = StandsFor(j, trees);
  return tree != nullptr ? tree->json : j;
}

nlohmann::json ExpandShared(nlohmann::json model, const SharedTrees& trees) {
  if (!trees.empty()) Expand(model, trees);
  return model;
}

// A model given up to a render, made into Mustache data only as far as the
// template asks for it: MustacheData converts every node of the tree (a
// story page's model holds some two dozen cards, each with fields no
// template shows) into hash maps and strings, and that conversion, with
// freeing it again, was about a sixth of serving a story page (perf of
// `dateline serve` with the cache off). Here a JSON object stands as an
// empty Mustache object until a name is looked up in it; the member found
// is made as MustacheData would make it (strings moved out of the model,
// empty strings and lists false, numbers their JSON text), once, and a
// list's elements are made with the list. A stand-in for a shared tree
// (SharedTrees) is the tree's own Mustache data, made once with the tree:
// a section over a list pushes the tree's data for its element. The
// templates see the same values, so the same pages come out (a test
// renders both ways).
class LazyModel {
 public:
  LazyModel(nlohmann::json& model, const SharedTrees& shared) : shared_(shared) {
    made_.reserve(256);
    objects_.reserve(256);
    root_ = Make(model);
  }
  const mu::data* root() const { return root_; }

  // The member `key` of `d` where `d` stands for a JSON object of the
  // model; kainjow's own lookup for any other data (a shared tree's data,
  // the theme's assets and partials).
  const mu::data* Child(const mu::data* d, const std::string& key) {
    auto it = objects_.find(d);
    if (it == objects_.end()) return d->get(key);
    auto member = it->second->find(key);
    if (member == it->second->end()) return nullptr;
    return Make(*member);
  }

  // What a section pushes: a list's element that stands in for a shared
  // tree is that tree's data.
  const mu::data* Pushed(const mu::data* d) const {
    if (aliases_.empty()) return d;
    auto it = aliases_.find(d);
    return it == aliases_.end() ? d : it->second;
  }

 private:
  const mu::data* Make(nlohmann::json& j) {
    auto [it, fresh] = made_.try_emplace(&j, nullptr);
    if (fresh) {
      if (const SharedJson* tree = StandsFor(j, shared_)) {
        it->second = &tree->data;
      } else {
        mu::data& d = nodes_.emplace_back(false);
        Shape(j, d);
        it->second = &d;
      }
    }
    return it->second;
  }

  // `d`, at its final address, made the image of `j`.
  void Shape(nlohmann::json& j, mu::data& d) {
    switch (j.type()) {
      case nlohmann::json::value_t::object:
        d = mu::data{mu::data::type::object};
        if (const SharedJson* tree = StandsFor(j, shared_)) {
          aliases_.emplace(&d, &tree->data);  // (only a list's element gets here)
        } else {
          objects_.emplace(&d, &j);
        }
        return;
      case nlohmann::json::value_t::array: {
        if (j.empty()) return;  // false
        d = mu::data{mu::data::type::list};
        auto& list = const_cast<mu::list&>(d.list_value());
        list.reserve(j.size());
        for (std::size_t i = 0; i < j.size(); ++i) list.emplace_back(false);
        for (std::size_t i = 0; i < j.size(); ++i) Shape(j[i], list[i]);
        return;
      }
      default: d = Leaf(j, true); return;  // the model is given up
    }
  }

  const SharedTrees& shared_;
  std::deque<mu::data> nodes_;  // made on demand; addresses stay put
  std::unordered_map<const nlohmann::json*, const mu::data*> made_;
  std::unordered_map<const mu::data*, nlohmann::json*> objects_;
  std::unordered_map<const mu::data*, const mu::data*> aliases_;
  const mu::data* root_ = nullptr;
};

namespace {

// kainjow's context (mustache::context), with the same lookups, except that
// a dotted name ("article.headline") is cut at its dots in place: kainjow
// splits it with a std::stringstream at every lookup, and building that
// stream was about a tenth of rendering a story page (callgrind). The
// parts are std::getline's: "a..b" has an empty middle part, and a
// trailing dot adds none. Names are looked up through the LazyModel.
class Context final : public mu::basic_context<std::string> {
 public:
  Context(const mu::data* data, LazyModel& lazy) : lazy_(lazy) { push(data); }

  void push(const mu::data* data) override {
    items_.insert(items_.begin(), lazy_.Pushed(data));
  }
  void pop() override { items_.erase(items_.begin()); }

  const mu::data* get(const std::string& name) const override {
    if (name.size() == 1 && name[0] == '.') return items_.front();
    if (name.find('.') == std::string::npos) return get_partial(name);
    parts_.clear();
    std::string_view rest = name;
    while (!rest.empty()) {
      std::size_t dot = rest.find('.');
      parts_.push_back(rest.substr(0, dot));
      rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    }
    for (const mu::data* item : items_) {
      const mu::data* var = item;
      for (std::string_view part : parts_) {
        key_.assign(part);
        var = Child(var, key_);
        if (var == nullptr) break;
      }
      if (var != nullptr) return var;
    }
    return nullptr;
  }

  const mu::data* get_partial(const std::string& name) const override {
    for (const mu::data* item : items_) {
      if (const mu::data* var = Child(item, name)) return var;
    }
    return nullptr;
  }

 private:
  const mu::data* Child(const mu::data* d, const std::string& key) const {
    return lazy_.Child(d, key);
  }

  LazyModel& lazy_;
  std::vector<const mu::data*> items_;  // innermost first
  mutable std::vector<std::string_view> parts_;
  mutable std::string key_;
};

// `source` with every {{> name}} of a known partial replaced by the
// partial's own source, expanded the same way, at most `depth` levels down.
// Tags of unknown partials, and partials too deep, are kept as they are.
std::string ExpandPartials(const std::string& source, const Theme& theme, int depth) {
  // Delimiter changes and comments (which could hold a "{{> name}}") are
  // left to the run-time partials.
  if (depth <= 0 || source.find("{{=") != std::string::npos ||
      source.find("{{!") != std::string::npos) {
    return source;
  }
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = source.find("{{>", pos);
    if (open == std::string::npos) break;
    std::size_t close = source.find("}}", open + 3);
    if (close == std::string::npos) break;
    std::string_view name = std::string_view(source).substr(open + 3, close - open - 3);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    auto it = theme.partials().find(name);
    out.append(source, pos, open - pos);
    if (it == theme.partials().end() || it->second.find("{{=") != std::string::npos ||
        it->second.find("{{!") != std::string::npos || depth == 1) {
      out.append(source, open, close + 2 - open);
    } else {
      out += ExpandPartials(it->second, theme, depth - 1);
    }
    pos = close + 2;
  }
  out.append(source, pos, std::string::npos);
  return out;
}

}  // namespace

Renderer::Renderer(const Theme& theme) : theme_(theme) {
  mu::data assets{mu::data::type::object};
  for (const auto& [name, asset] : theme_.assets()) {
    std::string key = name;
    for (char& c : key) {
      if (c == '.' || c == '/' || c == '-') c = '_';
    }
    assets.set(key, asset.url);
  }
  base_.set("assets", assets);
  for (const auto& [name, text] : theme_.partials()) {
    const std::string* body = &text;
    base_.set(name, mu::partial([body]() { return *body; }));
  }
}

const std::string* Renderer::Source(std::string_view template_name) const {
  std::lock_guard lock(mu_);
  auto it = sources_.find(template_name);
  if (it != sources_.end()) return &it->second;
  const std::string* raw = theme_.Template(template_name);
  if (raw == nullptr) return nullptr;
  return &sources_.emplace(std::string(template_name), ExpandPartials(*raw, theme_, 8)).first->second;
}

Renderer::Parsed Renderer::Take(const std::string& source) const {
  {
    std::lock_guard lock(mu_);
    auto it = pool_.find(&source);
    if (it != pool_.end() && !it->second.empty()) {
      Parsed t = std::move(it->second.back());
      it->second.pop_back();
      return t;
    }
  }
  auto t = std::make_unique<mu::mustache>(source);
  t->set_custom_escape([](const std::string& s) { return EscapeHtml(s); });
  return t;
}

void Renderer::Give(const std::string& source, Parsed tmpl) const {
  std::lock_guard lock(mu_);
  pool_[&source].push_back(std::move(tmpl));
}

Result<std::string> Renderer::Render(std::string_view template_name, const nlohmann::json& model,
                                     const SharedTrees& shared) const {
  return Render(template_name, nlohmann::json(model), shared);
}

Result<std::string> Renderer::Render(std::string_view template_name, nlohmann::json&& model,
                                     const SharedTrees& shared) const {
  nlohmann::json owned = std::move(model);
  LazyModel lazy(owned, shared);
  return RenderData(template_name, lazy);
}

Result<std::string> Renderer::RenderData(std::string_view template_name, LazyModel& model) const {
  const std::string* source = Source(template_name);
  if (source == nullptr) {
    return Fail(Status::Internal("theme has no template \"" + std::string(template_name) + "\""));
  }
  Context ctx(model.root(), model);
  ctx.push(&base_);  // looked up first
  Parsed tmpl = Take(*source);
  // Appended straight to the page (render(data) writes to a string stream
  // and copies its text out).
  struct Sink {
    std::string text;
    Sink& operator<<(const std::string& s) {
      text += s;
      return *this;
    }
  } sink;
  sink.text.reserve(std::size_t{32} << 10);
  tmpl->render(ctx, sink);
  std::string out = std::move(sink.text);
  if (!tmpl->is_valid()) {
    // A template that fails while rendering is not reused.
    return Fail(Status::Internal("template \"" + std::string(template_name) +
                                 "\": " + tmpl->error_message()));
  }
  Give(*source, std::move(tmpl));
  return out;
}

}  // namespace dateline

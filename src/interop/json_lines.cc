#include "interop/json_lines.h"

#include <simdjson.h>

#include <istream>

namespace dateline {

namespace {

// simdjson's document as nlohmann::json, with nlohmann's number types (a
// non-negative integer is unsigned), so callers see what
// nlohmann::json::parse would have given them.
nlohmann::json ToJson(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      simdjson::dom::array items;
      if (e.get(items) != simdjson::SUCCESS) return out;
      for (simdjson::dom::element v : items) out.push_back(ToJson(v));
      return out;
    }
    case element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      simdjson::dom::object fields;
      if (e.get(fields) != simdjson::SUCCESS) return out;
      for (simdjson::dom::key_value_pair kv : fields) {
        out[std::string(kv.key)] = ToJson(kv.value);  // a repeated key: the last wins
      }
      return out;
    }
    case element_type::INT64: {
      std::int64_t v = e.get_int64().value_unsafe();
      if (v >= 0) return static_cast<std::uint64_t>(v);
      return v;
    }
    case element_type::UINT64: return e.get_uint64().value_unsafe();
    case element_type::DOUBLE: return e.get_double().value_unsafe();
    case element_type::STRING: return std::string(e.get_string().value_unsafe());
    case element_type::BOOL: return e.get_bool().value_unsafe();
    case element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

}  // namespace

void LineProblems::Add(int line, const std::string& what) {
  ++total_;
  if (kept_.size() < max_kept_) kept_.push_back("line " + std::to_string(line) + ": " + what);
}

Status LineProblems::Summary() const {
  std::string msg = std::to_string(total_) + " problem" + (total_ == 1 ? "" : "s") +
                    " in the import; nothing was written";
  for (const std::string& p : kept_) msg += "\n  " + p;
  if (total_ > kept_.size()) msg += "\n  ... and " + std::to_string(total_ - kept_.size()) + " more";
  return Status::InvalidArgument(msg);
}

bool JsonLineReader::Next(int& line, nlohmann::json& obj, std::string& problem) {
  problem.clear();
  while (std::getline(in_, text_)) {
    ++line_;
    if (!text_.empty() && text_.back() == '\r') text_.pop_back();
    if (text_.find_first_not_of(" \t") == std::string::npos) continue;
    line = line_;
    // simdjson reads the line (nlohmann's parser was half of an import's
    // instructions); a line it refuses is parsed again by nlohmann, whose
    // message names the problem (and which takes the integers too large for
    // 64 bits that simdjson refuses).
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text_).get(root) == simdjson::SUCCESS) {
      obj = ToJson(root);
    } else {
      try {
        obj = nlohmann::json::parse(text_);
      } catch (const nlohmann::json::parse_error& e) {
        std::string what = e.what();
        auto pos = what.find("parse error");
        problem = "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos));
        return true;
      }
    }
    if (!obj.is_object()) problem = "expected a JSON object";
    return true;
  }
  return false;
}

Status JsonLineReader::status() const {
  if (in_.bad()) return Status::IOError("read failed after line " + std::to_string(line_));
  return Status::Ok();
}

}  // namespace dateline

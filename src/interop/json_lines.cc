#include "interop/json_lines.h"

#include <istream>

namespace dateline {

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

Status ForEachJsonObject(std::istream& in, LineProblems& problems,
                         const std::function<Status(int line, const nlohmann::json&)>& fn) {
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    nlohmann::json obj;
    try {
      obj = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      std::string what = e.what();
      auto pos = what.find("parse error");
      problems.Add(line, "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos)));
      continue;
    }
    if (!obj.is_object()) {
      problems.Add(line, "expected a JSON object");
      continue;
    }
    DL_RETURN_IF_ERROR(fn(line, obj));
  }
  if (in.bad()) return Status::IOError("read failed after line " + std::to_string(line));
  return Status::Ok();
}

}  // namespace dateline

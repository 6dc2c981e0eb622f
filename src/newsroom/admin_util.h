// Small helpers shared by the admin pages' source files (admin*.cc):
// response headers, JSON answers, ids, the editor's local times and the
// mapping of Status messages to form fields. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/time_zone.h"
#include "core/user.h"
#include "http/message.h"

namespace dateline::newsroom::admin {

// The security headers every admin answer carries: no-store, DENY framing,
// a CSP allowing only 'self', nosniff, same-origin referrers.
void Harden(http::Response& r);

http::Response Json(int status, const nlohmann::json& body);
// {"error": message, "field": field} with `status`.
http::Response JsonError(int status, std::string_view message, std::string_view field = "");
// The JSON error for a failed Status (422, 403, 404, 409, 503, 500).
http::Response JsonError(const Status& s);
// The HTTP status for a failed Status.
int HttpStatusOf(const Status& s);

// A positive decimal id, or nullopt.
std::optional<std::int64_t> ParseId(std::string_view s);
// A positive integer query parameter, or `fallback`.
int IntParam(const http::Request& req, std::string_view name, int fallback);

std::string_view Trim(std::string_view s);

// A datetime-local input's value for `t` in `zone`: "2025-05-06T04:05".
std::string LocalInputTime(Seconds t, const TimeZone& zone);
// Reads "YYYY-MM-DDTHH:MM" (or with ":SS", or a space for 'T') as a local
// time in `zone`. InvalidArgument when it is not one.
Result<Seconds> ParseLocalInputTime(std::string_view text, const TimeZone& zone);

// Whether `next` is a path on this site's newsroom that login may go back
// to: "/admin" or "/admin/...", no scheme, no "//", no backslash or control
// characters.
bool SafeNext(std::string_view next);

// The form field a Stories/Store field name is shown next to: "headline",
// "lead_image.url" -> "lead_image_url", "slug" -> "headline", "note" ->
// "correction"; "" for none.
std::string FormFieldOf(std::string_view field);

// Every `field "x": reason` of a Status message, keyed by form field (see
// FormFieldOf); the rest under "".
std::map<std::string, std::string> ErrorsOf(const Status& s);

// "a" -> "A" (ASCII), for messages that start a sentence.
std::string Capitalized(std::string_view s);

// The roles as <option> models: [{value, label, selected}].
nlohmann::json RoleOptions(Role selected);

}  // namespace dateline::newsroom::admin

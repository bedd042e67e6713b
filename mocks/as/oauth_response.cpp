#include "mocks/as/oauth_response.hpp"

#include <algorithm>

namespace tether::as {

void exchange::used_knob(const std::string& name) {
  if (std::find(knobs.begin(), knobs.end(), name) == knobs.end()) knobs.push_back(name);
}

oauth_error client_error(std::string description, bool used_authorization_header) {
  oauth_error e{"invalid_client", std::move(description), 400, false};
  if (used_authorization_header) {
    e.status = 401;
    e.basic_challenge = true;
  }
  return e;
}

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string shown(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < 80; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    out += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '?';
  }
  if (text.size() > 80) out += "...";
  return out + "\"";
}

http::response json_response(int status, const nlohmann::json& body, bool no_store) {
  http::response res;
  res.status = status;
  res.headers.set("Content-Type", "application/json");
  if (no_store) {
    res.headers.set("Cache-Control", "no-store");
    res.headers.set("Pragma", "no-cache");
  }
  res.body = json_text(body);
  return res;
}

http::response error_response(const oauth_error& e) {
  nlohmann::json body = {{"error", e.code}};
  if (!e.description.empty()) body["error_description"] = e.description;
  http::response res = json_response(e.status, body);
  if (e.basic_challenge) res.headers.set("WWW-Authenticate", "Basic realm=\"tether-as\"");
  return res;
}

form_params read_form(std::string_view encoded) {
  form_params out;
  std::map<std::string, int> seen;
  for (const auto& [name, value] : http::parse_form(encoded)) {
    if (value.empty()) continue;  // RFC 6749 3.1: a parameter without a value is omitted
    if (name == "resource") {
      out.resources.push_back(value);
      continue;
    }
    if (++seen[name] == 2) out.repeated.push_back(name);
    out.values.emplace(name, value);
  }
  return out;
}

const std::string* form_params::get(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

std::string_view query_of(std::string_view target) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  auto rest = target.substr(q + 1);
  return rest.substr(0, rest.find('#'));
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

}  // namespace tether::as

#include "mocks/rs/presentation.hpp"

#include <optional>

#include "core/http/www_authenticate.hpp"

namespace tether::rs {

const char* to_string(token_via v) {
  switch (v) {
    case token_via::header: return "header";
    case token_via::body: return "body";
    case token_via::query: return "query";
  }
  return "header";
}

std::string target_path(const std::string& target) {
  auto end = target.find_first_of("?#");
  return end == std::string::npos ? target : target.substr(0, end);
}

std::string target_query(const std::string& target) {
  auto q = target.find('?');
  if (q == std::string::npos) return "";
  auto end = target.find('#', q);
  return target.substr(q + 1, end == std::string::npos ? std::string::npos : end - q - 1);
}

namespace {

struct found {
  token_via via;
  std::string scheme;
  std::string scheme_sent;
  std::string token;
};

// Media type of Content-Type without parameters, compared case-insensitively (RFC 9110 8.3.1).
bool is_form_encoded(const http::request& request) {
  auto type = request.headers.first("Content-Type");
  if (!type) return false;
  std::string_view media(*type);
  media = media.substr(0, media.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  return http::iequals(media, "application/x-www-form-urlencoded");
}

std::vector<std::string> access_token_params(std::string_view form) {
  std::vector<std::string> out;
  for (const auto& [name, value] : http::parse_form(form)) {
    if (name == "access_token") out.push_back(value);
  }
  return out;
}

// The parameter methods of RFC 6750 2.2 (body) and 2.3 (query). Returns a refusal when the
// parameter is repeated, empty, or the method is switched off.
std::optional<rejection> read_parameter(const std::vector<std::string>& values, token_via via,
                                        bool enabled, std::vector<found>& methods) {
  if (values.empty()) return std::nullopt;
  const char* where = via == token_via::body ? "request body" : "query";
  const char* section = via == token_via::body ? "RFC 6750 2.2" : "RFC 6750 2.3";
  if (values.size() > 1)
    return invalid_request("access_token appears " + std::to_string(values.size()) + " times in the " + where,
                           mechanism::bearer,
                           "a repeated parameter is invalid_request (RFC 6750 3.1)");
  if (!enabled)
    return invalid_request(std::string("this resource server does not accept access_token in the ") + where +
                               " (" + section + " is optional); send it in the Authorization header",
                           mechanism::bearer,
                           std::string("an unsupported parameter is invalid_request (RFC 6750 3.1); token_in_") +
                               (via == token_via::body ? "body" : "query") + " is off");
  if (values.front().empty())
    return invalid_request(std::string("the access_token parameter in the ") + where + " is empty",
                           mechanism::bearer, "a missing parameter value is invalid_request (RFC 6750 3.1)");
  methods.push_back({via, "Bearer", "", values.front()});
  return std::nullopt;
}

rejection dpop_without_proof(const rs_config& config) {
  rejection r;
  r.target = mechanism::dpop;
  r.description = "the DPoP authentication scheme was used but the request has no DPoP header";
  apply_status_error(r, config.dpop_scheme_without_proof);
  r.reason = "RFC 9449 7.1 requires a DPoP proof with the DPoP scheme; the code is not specified "
             "(table 2.2 row D), this server answers " + config.dpop_scheme_without_proof;
  if (config.dpop_scheme_without_proof != rs_config{}.dpop_scheme_without_proof)
    r.knobs.push_back("dpop_scheme_without_proof");
  return r;
}

}  // namespace

presentation_result read_presentation(const http::request& request, const rs_config& config) {
  const auto authorizations = request.headers.all("Authorization");
  if (authorizations.size() > 1) {
    // The RFC 9449 7.2 example for exactly this case: 400 invalid_request on both challenges.
    return invalid_request("the request has " + std::to_string(authorizations.size()) +
                               " Authorization header fields; send the access token once",
                           mechanism::both,
                           "several Authorization fields make the mechanism ambiguous: 400 "
                           "invalid_request on both challenges (RFC 9449 7.2, RFC 6750 3.1)");
  }

  std::vector<found> methods;
  std::string unsupported_scheme;
  if (authorizations.size() == 1) {
    const std::string& value = authorizations.front();
    auto credentials = http::parse_authorization(value);
    std::string_view scheme = credentials ? std::string_view(credentials->scheme)
                                          : std::string_view(value).substr(0, value.find(' '));
    bool bearer = http::iequals(scheme, "Bearer");
    bool dpop = http::iequals(scheme, "DPoP");
    if (!credentials && (bearer || dpop)) {
      return invalid_request(credentials.err().message,
                             bearer ? mechanism::bearer : mechanism::dpop,
                             "a malformed Authorization field is invalid_request (RFC 6750 3.1)");
    }
    if (bearer || dpop) {
      // RFC 9110 11.1: the auth-scheme is case-insensitive ("dpop" and "BEARER" are fine).
      methods.push_back({token_via::header, bearer ? "Bearer" : "DPoP", credentials->scheme,
                         credentials->token});
    } else {
      unsupported_scheme = std::string(scheme.substr(0, 40));
    }
  }

  if (is_form_encoded(request)) {
    auto values = access_token_params(request.body);
    if (!values.empty() && (request.method == "GET" || request.method == "HEAD")) {
      return invalid_request("access_token in the body of a " + request.method + " request",
                             mechanism::bearer,
                             "RFC 6750 2.2: the body method MUST NOT be used with GET");
    }
    if (auto refused = read_parameter(values, token_via::body, config.token_in_body, methods))
      return *refused;
  }
  if (auto refused = read_parameter(access_token_params(target_query(request.target)),
                                    token_via::query, config.token_in_query, methods))
    return *refused;

  if (methods.size() > 1) {
    std::string list;
    for (const auto& m : methods) list += (list.empty() ? "" : ", ") + std::string(to_string(m.via));
    return invalid_request("the access token is included by more than one method (" + list + ")",
                           mechanism::both,
                           "more than one method used to include the token is invalid_request "
                           "(RFC 6750 3.1); the mechanism is ambiguous, so both challenges carry it "
                           "(RFC 9449 7.2)");
  }
  if (methods.empty()) {
    return no_credentials(unsupported_scheme.empty()
                              ? "the request has no access token"
                              : "the authentication scheme \"" + unsupported_scheme +
                                    "\" is not supported here; use Bearer or DPoP");
  }

  presentation p;
  p.via = methods.front().via;
  p.scheme = methods.front().scheme;
  p.scheme_sent = methods.front().scheme_sent;
  p.token = std::move(methods.front().token);
  p.dpop_headers = request.headers.all("DPoP");
  p.authorization_count = authorizations.size();
  if (p.is_dpop() && p.dpop_headers.empty()) return dpop_without_proof(config);
  return p;
}

}  // namespace tether::rs

// Requests to a protected resource: the access token where the step puts it (RFC 6750 2.1
// header, 2.2 form body, 2.3 query, or more than one place on purpose), under the scheme asked
// for (RFC 9449 7.1: DPoP for a DPoP-bound token), the extra and repeated fields of the step,
// and a forwarded client certificate as a TLS-terminating proxy would add it.

#include "core/http/www_authenticate.hpp"
#include "core/tls/certificate.hpp"
#include "mocks/client/requests.hpp"

namespace tether::client {
namespace {

std::string with_query_param(const std::string& url, const std::string& name, const std::string& value) {
  auto hash = url.find('#');
  std::string base = hash == std::string::npos ? url : url.substr(0, hash);
  std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + http::format_form({{name, value}}) + fragment;
}

bool iequal(const std::optional<std::string>& a, const char* b) { return a && http::iequals(*a, b); }

// auto: DPoP for a token the AS called DPoP (RFC 9449 7.1); for a token of unknown type, DPoP
// when the step sends a proof; Bearer otherwise (RFC 6750).
std::string scheme_for(const resolved_step& step) {
  if (step.scheme != "auto") return step.scheme;
  if (iequal(step.token_type, "DPoP")) return "DPoP";
  if (!step.token_type && step.dpop) return "DPoP";
  return "Bearer";
}

result<std::string> forwarded_value(const forwarded_cert_options& f) {
  if (f.value) return *f.value;
  auto cert = tls::certificate::load_file(f.cert_file);
  if (!cert) return make_error("step.forwarded_cert", "forwarded_cert: " + cert.err().message);
  return tls::format_forwarded_certificate(f.format, *cert);
}

}  // namespace

result<prepared_request> prepare_resource(const resolved_step& step) {
  prepared_request p;
  p.url = step.url;
  p.tls = step.tls;
  p.req.method = step.method;
  p.req.target = "";
  if (!step.trace.empty()) p.req.headers.add("Tether-Trace", step.trace);

  const std::string scheme = scheme_for(step);
  const bool has_token = step.access_token.has_value();
  const bool in_header = step.token_in == "header" || step.token_in == "header_and_body";
  const bool in_body = step.token_in == "body" || step.token_in == "header_and_body";
  nlohmann::json authorization = nullptr;
  if (has_token && in_header && scheme != "none") {
    const std::string value = scheme + " " + *step.access_token;
    for (int64_t i = 0; i < step.authorization_headers; ++i) p.req.headers.add("Authorization", value);
    if (step.authorization_headers > 0)
      authorization = {{"scheme", scheme}, {"token", *step.access_token}, {"count", step.authorization_headers}};
  }
  if (has_token && in_body) {
    p.req.headers.add("Content-Type", "application/x-www-form-urlencoded");
    p.req.body = http::format_form({{"access_token", *step.access_token}});
  }
  if (has_token && step.token_in == "query") p.url = with_query_param(p.url, "access_token", *step.access_token);
  p.observed["authorization"] = authorization;
  p.observed["token_in"] = step.token_in;

  for (const auto& [name, value] : step.headers) p.req.headers.add(name, value);

  if (step.forwarded_cert) {
    const auto& f = *step.forwarded_cert;
    auto value = forwarded_value(f);
    if (!value) return value.err();
    const std::string header = tls::default_header_name(f.format);
    p.req.headers.add(header, *value);
    p.observed["forwarded_cert"] = {{"format", tls::to_string(f.format)}, {"header", header}, {"value", *value},
                                    {"via", f.via}, {"cert_name", f.cert_name.empty() ? nlohmann::json() : nlohmann::json(f.cert_name)}};
  }
  // RFC 9449 4.2 and 7: htm the method, htu the URL without query and fragment (the builder
  // cuts them), ath the hash of the token presented.
  if (step.dpop) p.proof = proof_target{step.method, step.url, step.access_token};
  return p;
}

result<prepared_request> prepare_fetch(const resolved_step& step) {
  prepared_request p;
  p.url = step.url;
  p.tls = step.tls;
  p.req.method = step.method;
  p.req.target = "";
  p.req.headers.add("Accept", "application/json");
  if (!step.trace.empty()) p.req.headers.add("Tether-Trace", step.trace);
  for (const auto& [name, value] : step.headers) p.req.headers.add(name, value);
  if (step.dpop) p.proof = proof_target{step.method, step.url, step.access_token};
  return p;
}

}  // namespace tether::client

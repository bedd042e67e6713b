#include "mocks/client/discovery.hpp"

namespace tether::client {

std::string metadata_url(const std::string& issuer) {
  const std::string well_known = "/.well-known/oauth-authorization-server";
  auto scheme = issuer.find("://");
  auto slash = scheme == std::string::npos ? std::string::npos : issuer.find('/', scheme + 3);
  if (slash == std::string::npos) return issuer + well_known;
  std::string path = issuer.substr(slash);
  if (path == "/") path.clear();
  return issuer.substr(0, slash) + well_known + path;
}

std::string openid_configuration_url(const std::string& issuer) {
  std::string base = issuer;
  if (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/.well-known/openid-configuration";
}

namespace {

// One GET of a metadata document. not_served is set when the server answered, but not 200: the
// caller may look elsewhere.
result<discovered> fetch_metadata(step_executor& executor, run_state& state, const std::string& issuer,
                                  const std::string& url, const tls_settings& tls, int64_t timeout_ms,
                                  const std::string& trace, bool& not_served) {
  not_served = false;
  resolved_step step;
  step.name = "discover";
  step.action = "fetch";
  step.url = url;
  step.tls = tls;
  step.trace = trace;
  step.timeout_ms = timeout_ms;
  auto obs = executor.run(state, step);
  if (!obs) return obs.err();
  const nlohmann::json& o = *obs;
  if (!o.contains("response")) {
    const auto& t = o["tls"];
    return make_error("discover.unreachable", "GET " + step.url + " failed at " + t.value("stage", std::string()) +
                                                  ": " + t.value("error", std::string()));
  }
  const int status = o["response"].value("status", 0);
  if (status != 200) {
    not_served = true;
    return make_error("discover.status", "GET " + step.url + " answered " + std::to_string(status) + ", not 200");
  }
  const nlohmann::json& metadata = o["response"]["json"];
  if (!metadata.is_object())
    return make_error("discover.body", "GET " + step.url + " did not answer a JSON object (RFC 8414 3.2)");
  if (metadata.value("issuer", nlohmann::json()) != issuer)
    return make_error("discover.issuer", "the metadata's issuer " + metadata.value("issuer", nlohmann::json()).dump() +
                                             " is not " + issuer + " (RFC 8414 3.3: it MUST be identical)");
  return discovered{metadata, o, url, ""};
}

}  // namespace

result<discovered> discover(step_executor& executor, run_state& state, const std::string& issuer,
                            const tls_settings& tls, int64_t timeout_ms, const std::string& trace,
                            const std::string& metadata_location) {
  bool not_served = false;
  if (!metadata_location.empty()) {
    auto found = fetch_metadata(executor, state, issuer, metadata_location, tls, timeout_ms, trace, not_served);
    if (found) found->via = "given";
    return found;
  }
  auto found = fetch_metadata(executor, state, issuer, metadata_url(issuer), tls, timeout_ms, trace, not_served);
  if (found) {
    found->via = "rfc8414";
    return found;
  }
  if (!not_served) return found;
  auto oidc =
      fetch_metadata(executor, state, issuer, openid_configuration_url(issuer), tls, timeout_ms, trace, not_served);
  if (!oidc) return make_error(found.err().code, found.err().message + "; " + oidc.err().message);
  oidc->via = "openid-configuration";
  return oidc;
}

std::string endpoint_for(const nlohmann::json& metadata, const std::string& name, bool with_certificate) {
  if (!metadata.is_object()) return "";
  if (with_certificate) {
    auto aliases = metadata.find("mtls_endpoint_aliases");
    if (aliases != metadata.end() && aliases->is_object()) {
      auto alias = aliases->find(name);
      if (alias != aliases->end() && alias->is_string() && !alias->get<std::string>().empty())
        return alias->get<std::string>();
    }
  }
  auto top = metadata.find(name);
  return top != metadata.end() && top->is_string() ? top->get<std::string>() : "";
}

}  // namespace tether::client

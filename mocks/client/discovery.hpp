#pragma once
// RFC 8414 authorization server metadata: where it lives for an issuer, fetching it through the
// executor (so it is observed like any other request), and the endpoint a client must use for a
// request made with or without a client certificate (RFC 8705 5, mtls_endpoint_aliases).

#include <string>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"
#include "mocks/client/step_executor.hpp"

namespace tether::client {

// RFC 8414 3.1: the well-known segment goes between the host and the issuer's path.
std::string metadata_url(const std::string& issuer);

// OpenID Connect Discovery 1.0 section 4: the well-known segment is appended to the issuer.
std::string openid_configuration_url(const std::string& issuer);

struct discovered {
  nlohmann::json metadata;
  nlohmann::json observation;  // of the GET that found it
  std::string url;             // where it was found
  // How that URL was chosen: "given" (metadata_location), "rfc8414" (the RFC 8414 3.1 URL), or
  // "openid-configuration" (the AS answered no metadata there, and OpenID Connect discovery did).
  std::string via;
};

// GETs the metadata of issuer (or metadata_location when not empty) and checks that it is a JSON
// object whose issuer is exactly the one asked for (RFC 8414 3.3: otherwise it MUST NOT be
// used). Without a metadata_location, an AS that answers the RFC 8414 URL with anything but 200
// is asked at its OpenID Connect discovery URL, which serves the same members for an AS that
// implements only that. The error names what was wrong and carries the status or TLS failure.
result<discovered> discover(step_executor& executor, run_state& state, const std::string& issuer,
                            const tls_settings& tls, int64_t timeout_ms, const std::string& trace = "",
                            const std::string& metadata_location = "");

// The endpoint for `name` (token_endpoint, introspection_endpoint, ...): the mTLS alias when the
// client presents a certificate and the AS publishes one, else the top-level member
// (RFC 8705 5: endpoints without an alias are used as published). "" when neither exists.
std::string endpoint_for(const nlohmann::json& metadata, const std::string& name, bool with_certificate);

}  // namespace tether::client

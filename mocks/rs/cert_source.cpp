#include "mocks/rs/cert_source.hpp"

namespace tether::rs {

result<cert_source> cert_source::make(const rs_config& config, std::optional<std::string> proxy_x5t) {
  cert_source s;
  s.trust_any_ = config.trust_any_proxy_header;
  s.trusted_proxy_ = !config.trusted_proxy.empty();
  if (s.trusted_proxy_) {
    auto format = tls::forwarded_format_from_string(config.trusted_proxy);
    if (!format) return format.err();
    s.format_ = *format;
    if (!proxy_x5t)
      return make_error("rs.proxy_cert", "trusted_proxy is set but the proxy certificate is unknown "
                                         "(expected proxy.crt in the certificate directory)");
  } else if (s.trust_any_) {
    s.format_ = tls::forwarded_format::rfc9440;
  }
  s.proxy_x5t_ = std::move(proxy_x5t);
  return s;
}

observed_cert cert_source::observe(const http::request& request,
                                   const http::connection_info& info) const {
  observed_cert out;
  const auto& tls_cert = info.client_cert;
  out.proxy_connection = trusted_proxy_ && tls_cert && proxy_x5t_ && tls_cert->x5t_s256() == *proxy_x5t_;
  auto from_tls = [&] {
    out.cert = tls_cert;
    out.source = tls_cert ? "tls" : "";
  };
  if (!format_) {
    from_tls();
    return out;
  }

  const char* header = tls::default_header_name(*format_);
  const auto values = request.headers.all(header);
  nlohmann::json fwd = {{"format", tls::to_string(*format_)}, {"header", header},
                        {"count", values.size()}};
  const bool believed = out.proxy_connection || trust_any_;
  if (values.empty()) {
    if (out.proxy_connection) {
      // The proxy said nothing: its own certificate is not the client's.
      fwd["trusted"] = true;
      fwd["error"] = "the trusted proxy forwarded no " + std::string(header) + " header";
      out.forwarded = std::move(fwd);
      out.source = "";
      return out;
    }
    from_tls();
    return out;
  }
  fwd["trusted"] = believed;
  if (!believed) {
    fwd["ignored"] = "the header did not come from the trusted proxy (no proxy certificate on "
                     "this connection); the TLS layer's certificate is used";
    out.forwarded = std::move(fwd);
    from_tls();
    return out;
  }
  auto parsed = tls::parse_forwarded_certificate(*format_, values);
  if (!parsed) {
    fwd["error"] = parsed.err().message;
    out.forwarded = std::move(fwd);
    out.source = "";
    return out;
  }
  fwd["x5t#S256"] = parsed->x5t_s256();
  fwd["subject"] = parsed->subject_dn();
  out.forwarded = std::move(fwd);
  out.cert = std::make_shared<const tls::certificate>(std::move(*parsed));
  out.source = "forwarded";
  if (!out.proxy_connection) out.knobs.push_back("trust_any_proxy_header");
  return out;
}

}  // namespace tether::rs

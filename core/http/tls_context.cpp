// TLS settings for the HTTPS listeners and client (toolchain notes, section 5, lists the
// pitfalls each setting below avoids).

#include "core/http/tls_context.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "core/tls/certificate.hpp"
#include "core/util/openssl_ptr.hpp"

namespace tether::http {

const char* to_string(client_cert_mode mode) {
  switch (mode) {
    case client_cert_mode::none: return "none";
    case client_cert_mode::optional: return "optional";
    case client_cert_mode::required: return "required";
  }
  return "none";
}

result<client_cert_mode> client_cert_mode_from_string(std::string_view text) {
  if (text == "none") return client_cert_mode::none;
  if (text == "optional") return client_cert_mode::optional;
  if (text == "required") return client_cert_mode::required;
  return make_error("http.client_cert_mode", "client certificate mode '" + std::string(text) +
                                                 "' is not one of none, optional, required");
}

namespace detail {

namespace {

// Accepts whatever chain the client presents: self-signed, expired, from another CA. RFC 8705
// 2.1 and 2.2 leave the judgement to the application (PKI or self-signed method), so the
// handshake must not end on it; the real outcome stays readable with SSL_get_verify_result
// and reaches the handler as connection_info::chain_verify_result.
int accept_any_client_certificate(int /*preverify_ok*/, X509_STORE_CTX* /*store*/) { return 1; }

error tls_failure(const std::string& code, const std::string& what) {
  std::string reason = ossl::drain_errors();
  return make_error(code, reason.empty() ? what : what + ": " + reason);
}

struct x509_name_stack_deleter {
  void operator()(STACK_OF(X509_NAME) * names) const { sk_X509_NAME_pop_free(names, X509_NAME_free); }
};
using x509_name_stack_ptr = std::unique_ptr<STACK_OF(X509_NAME), x509_name_stack_deleter>;

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

status load_own_certificate(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file,
                            const std::string& who) {
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return tls_failure("tls.certificate", who + " certificate chain '" + cert_file + "' cannot be loaded");
  }
  const std::string& key = key_file.empty() ? cert_file : key_file;
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return tls_failure("tls.private_key", who + " private key '" + key + "' cannot be loaded");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return tls_failure("tls.private_key", who + " private key '" + key +
                                              "' does not match certificate '" + cert_file + "'");
  }
  return {};
}

}  // namespace

result<ssl_ctx_ptr> make_server_context(const listener_options& options) {
  ssl_ctx_ptr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return tls_failure("tls.context", "SSL_CTX_new failed");
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  // Renegotiation could request a certificate after the fact; RFC 8705 3 expects the
  // certificate of the initial handshake only (and TLS 1.3 has no renegotiation).
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION);

  std::string who = "listener '" + options.name + "'";
  if (auto st = load_own_certificate(ctx.get(), options.cert_file, options.key_file, who); !st) {
    return st.err();
  }

  x509_name_stack_ptr ca_names(sk_X509_NAME_new_null());
  for (const auto& file : options.client_ca_files) {
    if (SSL_CTX_load_verify_locations(ctx.get(), file.c_str(), nullptr) != 1 ||
        SSL_add_file_cert_subjects_to_stack(ca_names.get(), file.c_str()) != 1) {
      return tls_failure("tls.client_ca", who + " client CA file '" + file + "' cannot be loaded");
    }
  }
  if (!options.client_ca_files.empty()) SSL_CTX_set_client_CA_list(ctx.get(), ca_names.release());

  switch (options.client_certs) {
    case client_cert_mode::none:
      // verify_none: no CertificateRequest at all (toolchain notes 5.9).
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
      break;
    case client_cert_mode::optional:
      // A CertificateRequest in the initial handshake, not TLS 1.3 post-handshake auth, which
      // few clients support (toolchain notes 5.8; RFC 8705 3 rules out renegotiation too).
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, accept_any_client_certificate);
      break;
    case client_cert_mode::required:
      SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                         accept_any_client_certificate);
      break;
  }
  // Without a session id context every resumption fails once verify_peer is on ("session id
  // context uninitialized", toolchain notes 5.3). One context per listener keeps a session
  // of the mTLS listener from resuming on the plain one.
  std::string sid = "tether:" + options.name;
  sid.resize(std::min<std::size_t>(sid.size(), SSL_MAX_SID_CTX_LENGTH));
  SSL_CTX_set_session_id_context(ctx.get(), reinterpret_cast<const unsigned char*>(sid.data()),
                                 static_cast<unsigned>(sid.size()));
  return ctx;
}

result<ssl_ctx_ptr> make_client_context(const client_options& options) {
  ssl_ctx_ptr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return tls_failure("tls.context", "SSL_CTX_new failed");
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  if (options.verify_server) {
    int loaded = options.ca_file.empty()
                     ? SSL_CTX_set_default_verify_paths(ctx.get())
                     : SSL_CTX_load_verify_locations(ctx.get(), options.ca_file.c_str(), nullptr);
    if (loaded != 1) {
      return tls_failure("tls.ca_file", "trust anchors '" + options.ca_file + "' cannot be loaded");
    }
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  }
  if (!options.cert_file.empty()) {
    if (auto st = load_own_certificate(ctx.get(), options.cert_file, options.key_file, "client"); !st) {
      return st.err();
    }
  }
  return ctx;
}

status configure_client_ssl(SSL* ssl, const std::string& host, bool verify) {
  bool ip = is_ip_literal(host);
  // RFC 6066 3: "Literal IPv4 and IPv6 addresses are not permitted in HostName".
  if (!ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
    return tls_failure("tls.sni", "server name '" + host + "' cannot be sent in SNI");
  }
  if (!verify) return {};
  // RFC 9110 4.3.4: the certificate must match the host of the URL (an iPAddress SAN for
  // an IP literal, RFC 6125 for a name).
  int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str())
              : SSL_set1_host(ssl, host.c_str());
  if (ok != 1) return tls_failure("tls.host", "host '" + host + "' cannot be checked");
  if (!ip) SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return {};
}

void describe_tls_connection(SSL* ssl, connection_info& info) {
  if (auto cert = tls::peer_certificate(ssl)) {
    info.client_cert = std::shared_ptr<const tls::certificate>(std::move(cert));
    info.chain_verify_result = SSL_get_verify_result(ssl);
  } else {
    info.client_cert.reset();
    info.chain_verify_result = X509_V_OK;
  }
  info.tls_version = SSL_get_version(ssl);
}

std::string tls_error_text(unsigned long code) {
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

bool is_peer_alert(unsigned long code) {
  // OpenSSL reports a received alert N as reason SSL_AD_REASON_OFFSET + N
  // (SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED = 1000 + 116, ...).
  if (ERR_GET_LIB(code) != ERR_LIB_SSL) return false;
  int reason = ERR_GET_REASON(code);
  return reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256;
}

std::string tls_failure_kind(unsigned long code) {
  if (is_peer_alert(code)) return "alert";
  if (ERR_GET_LIB(code) != ERR_LIB_SSL) return "";
  switch (ERR_GET_REASON(code)) {
    // The first bytes back were not a TLS record: a plain-HTTP server, or another protocol.
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
    case SSL_R_RECORD_LENGTH_MISMATCH:
      return "not_tls";
    case SSL_R_CERTIFICATE_VERIFY_FAILED:
      return "server_certificate";
    default:
      return "";
  }
}

std::string server_verify_failure(SSL* ssl) {
  long result = SSL_get_verify_result(ssl);
  return result == X509_V_OK ? std::string() : X509_verify_cert_error_string(result);
}

}  // namespace detail
}  // namespace tether::http

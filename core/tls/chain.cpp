// Certificate bundles and RFC 5280 path validation, the PKI method of RFC 8705 2.1: the chain
// is validated against the configured anchors before any subject value is compared.

#include <fstream>
#include <sstream>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "core/tls/certificate.hpp"
#include "core/util/openssl_ptr.hpp"

namespace tether::tls {
namespace {

using store_ptr = std::unique_ptr<X509_STORE, ossl::deleter<X509_STORE_free>>;
using store_ctx_ptr = std::unique_ptr<X509_STORE_CTX, ossl::deleter<X509_STORE_CTX_free>>;

struct x509_stack_deleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }  // the certificates stay owned
};
using x509_stack_ptr = std::unique_ptr<STACK_OF(X509), x509_stack_deleter>;

}  // namespace

result<std::vector<certificate>> load_certificates(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("certificate.file", "cannot open certificate file " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string text = buf.str();
  std::vector<certificate> out;
  if (text.find("-----BEGIN") == std::string::npos) {
    auto one = certificate::from_der(text);
    if (!one) return make_error(one.err().code, path + ": " + one.err().message);
    out.push_back(std::move(one.value()));
    return out;
  }
  ossl::bio_ptr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) return make_error("certificate.pem", "cannot allocate a memory BIO");
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    out.push_back(certificate::adopt(cert));
  // The loop ends on "no start line" after the last block; anything else is a broken block.
  unsigned long last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  std::string why = ossl::drain_errors();
  if (!clean_end && !why.empty())
    return make_error("certificate.pem", path + ": a PEM block is malformed: " + why);
  if (out.empty()) return make_error("certificate.pem", path + ": holds no PEM certificate");
  return out;
}

status verify_chain(const certificate& leaf, const std::vector<certificate>& intermediates,
                    const std::vector<certificate>& anchors, int64_t at) {
  if (!leaf.native()) return make_error("certificate.chain", "no leaf certificate to validate");
  store_ptr store(X509_STORE_new());
  store_ctx_ptr ctx(X509_STORE_CTX_new());
  x509_stack_ptr untrusted(sk_X509_new_null());
  if (!store || !ctx || !untrusted)
    return make_error("certificate.chain", "out of memory setting up chain validation");
  for (const auto& anchor : anchors) {
    if (anchor.native() && X509_STORE_add_cert(store.get(), anchor.native()) != 1) {
      // Adding the same anchor twice is harmless; anything else is reported.
      unsigned long e = ERR_peek_last_error();
      if (ERR_GET_REASON(e) != X509_R_CERT_ALREADY_IN_HASH_TABLE)
        return make_error("certificate.chain", "cannot add trust anchor " + anchor.subject_dn() +
                                                   ": " + ossl::drain_errors());
      ossl::drain_errors();
    }
  }
  for (const auto& cert : intermediates)
    if (cert.native()) sk_X509_push(untrusted.get(), cert.native());

  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.native(), untrusted.get()) != 1)
    return make_error("certificate.chain", "cannot initialise chain validation: " +
                                               ossl::drain_errors());
  if (at != 0) X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(at));

  int ok = X509_verify_cert(ctx.get());
  if (ok == 1) {
    ossl::drain_errors();
    return {};
  }
  int err = X509_STORE_CTX_get_error(ctx.get());
  int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  ossl::drain_errors();
  return make_error("certificate.chain",
                    "certificate chain of " + leaf.subject_dn() +
                        " does not validate: " + X509_verify_cert_error_string(err) +
                        " (X509_V_ERR " + std::to_string(err) + " at depth " +
                        std::to_string(depth) + ")");
}

}  // namespace tether::tls

#pragma once
// Owning handles for OpenSSL objects, and the one place that turns OpenSSL's error queue into text.

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace tether::ossl {

template <auto Free>
struct deleter {
  template <typename T>
  void operator()(T* p) const { if (p) Free(p); }
};

using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY_free>>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, deleter<EVP_PKEY_CTX_free>>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, deleter<EVP_MD_CTX_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO_free_all>>;
using bn_ptr = std::unique_ptr<BIGNUM, deleter<BN_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509_free>>;

// Drains OpenSSL's thread-local error queue into one line ("" when empty), so that a failure
// reported to the user says what OpenSSL objected to and later calls start from a clean queue.
inline std::string drain_errors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

}  // namespace tether::ossl

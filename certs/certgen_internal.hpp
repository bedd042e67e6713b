#pragma once
// What the set is made of, shared by the generator and the checker so that both read the same
// table.

#include <cstdint>
#include <string>
#include <vector>

namespace tether::certs::detail {

enum class cert_role { ca, client, server };

struct cert_spec {
  std::string name;
  std::string common_name;
  std::string organization;  // empty: no O attribute
  std::string issuer;        // name of the issuing entry; empty: self-signed
  cert_role role;
  std::string san;           // X.509v3 configuration syntax; empty: no SAN extension
  int64_t not_before_offset; // seconds relative to the generation time
  int64_t not_after_offset;
  std::string purpose;       // one line, for manifest.json and the README
  bool expired() const { return not_after_offset < 0; }
};

const std::vector<cert_spec>& suite_specs();

int64_t now_or(int64_t now);             // now, or the current time when 0
std::string iso8601(int64_t epoch);      // 2026-01-02T03:04:05Z

}  // namespace tether::certs::detail

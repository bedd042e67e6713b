// libFuzzer entry point: JWK parsing from text, then thumbprint, JSON and PEM export of what
// parsed, plus JWK Set parsing of the same text.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/jose/jwk.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto key = tether::jose::jwk::parse(text)) {
    (void)key->thumbprint();
    (void)key->to_json().dump();
    (void)key->public_json();
    (void)key->public_key().to_json();
    (void)key->to_pem(true);
    (void)key->suits(key->default_alg());
    (void)tether::jose::thumbprint_of(key->to_json());
  }
  if (auto set = tether::jose::jwk_set::parse(text)) {
    (void)set->select(nlohmann::json::object(), "ES256");
    (void)set->to_json();
  }
  return 0;
}

// Builds DPoP proofs (RFC 9449 4.2), correct or broken in exactly the ways proof_defects names.
// Every defect other than the one asked for stays correct: a proof with a wrong htm is still
// properly signed, so a server that rejects it can only have rejected it for the htm.

#include "core/dpop/proof_builder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/dpop/htu.hpp"
#include "core/dpop/sha256.hpp"
#include "core/jose/base64url.hpp"
#include "core/jose/jws.hpp"

namespace tether::dpop {
namespace {

using nlohmann::json;

// 4.2: at least 96 bits of pseudorandom data; 128 leave a margin.
result<std::string> random_jti() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return make_error("dpop.random", "the random generator failed while making a jti");
  }
  return jose::base64url_encode(std::string_view(reinterpret_cast<const char*>(bytes), 16));
}

// The classic algorithm-confusion forgery: an HMAC keyed with the public key that a careless
// verifier would use as the "secret" (RFC 8725 2.1). The verifier must refuse it at check 5.
result<std::string> mac_signature(const jose::jwk& key, std::string_view alg,
                                  std::string_view signing_input) {
  const std::string secret = key.public_json().dump();
  auto oct = jose::jwk::parse(json{{"kty", "oct"}, {"k", jose::base64url_encode(secret)}});
  if (!oct) return oct.err();
  return jose::sign(signing_input, *oct, alg);
}

result<std::string> signature_for(const jose::jwk& key, const std::string& header_alg,
                                  const std::string& honest_alg, std::string_view signing_input) {
  if (header_alg == "none") return std::string();  // RFC 7518 3.6: empty signature
  if (jose::is_known_alg(header_alg) && !jose::is_asymmetric_alg(header_alg)) {
    return mac_signature(key, header_alg, signing_input);
  }
  // Any other label: sign with it when the key can, otherwise sign honestly and let the header
  // lie, so that the only thing wrong is the label.
  const std::string& alg = key.suits(header_alg) ? header_alg : honest_alg;
  return jose::sign(signing_input, key, alg);
}

result<json> header_for(const jose::jwk& key, const std::string& alg, const proof_defects& d,
                        std::vector<std::string>& applied) {
  json header = json::object();
  header["typ"] = "dpop+jwt";
  header["alg"] = alg;
  if (d.jwk) {
    header["jwk"] = *d.jwk;
    applied.push_back("jwk");
  } else if (d.private_jwk) {
    if (!key.has_private()) {
      return make_error("dpop.build", "the private_jwk defect needs a private signing key");
    }
    header["jwk"] = key.to_json();
    applied.push_back("private_jwk");
  } else {
    header["jwk"] = key.public_json();
  }
  if (d.typ) {
    header["typ"] = *d.typ;
    applied.push_back("typ");
  }
  if (d.alg) applied.push_back("alg");
  for (const auto& [name, value] : d.extra_header.items()) header[name] = value;
  if (!d.extra_header.empty()) applied.push_back("extra_header");
  for (const auto& name : d.omit_header) {
    if (name != "typ" && name != "alg" && name != "jwk") {
      return make_error("dpop.build", "omit_header names \"" + name + "\"; expected typ, alg or jwk");
    }
    if (header.erase(name) != 0) applied.push_back("omit_header:" + name);
  }
  return header;
}

result<json> claims_for(const proof_spec& spec, const proof_defects& d,
                        std::vector<std::string>& applied) {
  json claims = json::object();
  if (d.jti) {
    claims["jti"] = *d.jti;
    applied.push_back("jti");
  } else if (spec.jti) {
    claims["jti"] = *spec.jti;
  } else {
    auto jti = random_jti();
    if (!jti) return jti.err();
    claims["jti"] = *jti;
  }
  claims["htm"] = d.htm.value_or(spec.htm);
  if (d.htm) applied.push_back("htm");
  claims["htu"] = d.htu ? *d.htu : strip_query_and_fragment(spec.htu);
  if (d.htu) applied.push_back("htu");
  claims["iat"] = spec.iat + d.iat_offset_s;
  if (d.iat_offset_s != 0) applied.push_back("iat_offset_s");
  if (spec.access_token) claims["ath"] = access_token_hash(*spec.access_token);
  if (d.ath) {
    claims["ath"] = *d.ath == "other_token"
                        ? access_token_hash("other-" + spec.access_token.value_or("token"))
                        : *d.ath;
    applied.push_back("ath");
  }
  if (spec.nonce) claims["nonce"] = *spec.nonce;
  if (d.nonce) {
    claims["nonce"] = *d.nonce;
    applied.push_back("nonce");
  }
  for (const auto& [name, value] : d.extra_claims.items()) claims[name] = value;
  if (!d.extra_claims.empty()) applied.push_back("extra_claims");
  for (const auto& name : d.omit_claims) {
    if (claims.erase(name) != 0) applied.push_back("omit_claims:" + name);
  }
  return claims;
}

// Serialises with nlohmann, which throws on strings that are not UTF-8 (a scenario may hold
// any bytes); that becomes an error naming the part.
result<std::string> dump(const json& j, const char* part) {
  try {
    return j.dump();
  } catch (const json::exception& e) {
    return make_error("dpop.build", std::string("the proof ") + part +
                                        " cannot be serialised: " + e.what());
  }
}

}  // namespace

std::string access_token_hash(std::string_view access_token) {
  std::array<unsigned char, 32> digest;
  if (!detail::sha256(access_token, digest)) {
    return std::string();  // never equal to a real hash, so a check against it fails closed
  }
  return jose::base64url_encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

result<built_proof> build_proof(const jose::jwk& key, const proof_spec& spec,
                                const proof_defects& defects) {
  built_proof out;
  const std::string honest_alg = spec.alg.empty() ? key.default_alg() : spec.alg;
  const std::string header_alg = defects.alg.value_or(honest_alg);

  auto header = header_for(key, header_alg, defects, out.defects);
  if (!header) return header.err();
  auto claims = claims_for(spec, defects, out.defects);
  if (!claims) return claims.err();
  auto header_bytes = dump(*header, "header");
  if (!header_bytes) return header_bytes.err();
  auto payload_bytes = dump(*claims, "claims");
  if (!payload_bytes) return payload_bytes.err();
  out.header = std::move(*header);
  out.claims = std::move(*claims);

  const std::string malformed = defects.malformed.value_or("");
  if (!malformed.empty()) out.defects.push_back("malformed:" + malformed);
  if (malformed == "header_not_json") {
    *header_bytes = "{\"typ\":\"dpop+jwt\",";  // cut short: not a JSON text
    out.header = nullptr;
  } else if (malformed == "payload_not_json") {
    *payload_bytes = "jti=" + out.claims.value("jti", std::string("x"));
    out.claims = nullptr;
  } else if (malformed == "payload_array") {
    *payload_bytes = "[" + *payload_bytes + "]";
    out.claims = json::array({out.claims});
  } else if (malformed == "not_jwt") {
    out.compact = "this-is-not-a-jwt";
    out.header = nullptr;
    out.claims = nullptr;
  } else if (!malformed.empty() && malformed != "two_parts" && malformed != "bad_base64") {
    return make_error("dpop.build", "unknown malformed kind \"" + malformed + "\"");
  }

  out.jkt = key.thumbprint();
  if (malformed == "not_jwt") return out;

  const std::string signing_input = jose::base64url_encode(*header_bytes) + "." +
                                    jose::base64url_encode(*payload_bytes);
  auto signature = signature_for(key, header_alg, honest_alg, signing_input);
  if (!signature) return signature.err();
  if (defects.bad_signature && !signature->empty()) {
    (*signature)[signature->size() / 2] ^= 0x01;
    out.defects.push_back("bad_signature");
  }
  out.compact = jose::assemble_compact(*header_bytes, *payload_bytes, *signature);

  if (malformed == "two_parts") {
    out.compact = signing_input;
  } else if (malformed == "bad_base64") {
    // '+' is legal in a token68 header value (4.1) but not in base64url: only a strict decoder
    // notices (RFC 7515 2).
    const std::size_t payload_start = out.compact.find('.') + 1;
    out.compact[payload_start + (out.compact.find('.', payload_start) - payload_start) / 2] = '+';
  }
  return out;
}

}  // namespace tether::dpop

#pragma once
// JWS compact serialization (RFC 7515) on the OpenSSL 3 EVP API: sign and verify with
// ES256/ES384/ES512, RS256/RS384/RS512, PS256/PS384/PS512, EdDSA (Ed25519) and HS256/384/512.
// Parsing keeps the exact bytes received, so that a test can build a defect and a verifier can
// judge precisely what was sent (a re-serialised header would hide whitespace or duplicate keys).

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/jose/jwk.hpp"
#include "core/util/result.hpp"

namespace tether::jose {

struct compact_jws {
  std::string protected_b64;  // first part exactly as received
  std::string payload_b64;    // second part exactly as received
  std::string signature_b64;  // third part exactly as received
  std::string header_bytes;   // decoded protected header
  std::string payload_bytes;  // decoded payload
  std::string signature;      // decoded signature (JWS form: raw r||s for ECDSA)
  nlohmann::json header;      // parsed protected header (always a JSON object)

  std::string signing_input() const { return protected_b64 + "." + payload_b64; }
};

// Three dot-separated parts, strict base64url in each, the header a JSON object without
// duplicate member names. An empty signature part is allowed here (alg "none" is judged by the
// caller's policy, not by the parser). The payload is not required to be JSON.
result<compact_jws> parse_compact(std::string_view text);

// Parses bytes as one JSON object; rejects duplicate member names (RFC 7515 4: a parser MUST
// either reject them or use the last one; rejecting is the strict, testable choice), trailing
// bytes and non-object values.
result<nlohmann::json> parse_json_object(std::string_view bytes);

// True for the thirteen algorithms this module signs and verifies (not "none").
bool is_known_alg(std::string_view alg);
// True for the asymmetric algorithms above (not "none", not HS*).
bool is_asymmetric_alg(std::string_view alg);

// Raw JWS signature over signing_input (ECDSA converted to fixed-size r||s, RFC 7518 3.4).
// Errors if the key's type or curve does not fit alg or it lacks a private part. Unlike
// verify(), it does not enforce key sizes or the key's alg/use members, so that tests can
// build tokens signed with weak or mislabelled keys.
result<std::string> sign(std::string_view signing_input, const jwk& key, std::string_view alg);

// header and payload are serialised as given (compact JSON), base64url'd and signed.
result<std::string> sign_compact(const nlohmann::json& header, std::string_view payload,
                                 const jwk& key, std::string_view alg);

// "b64(header_bytes).b64(payload_bytes).b64(signature)": assembles exactly these bytes, for
// building deliberately broken tokens.
std::string assemble_compact(std::string_view header_bytes, std::string_view payload_bytes,
                             std::string_view signature);

// Verifies the signature with key under alg. The caller decides which alg it accepts; this
// checks that the header's "alg" is exactly that alg, that "crit" names nothing (no extension
// is understood, RFC 7515 4.1.11), that key suits alg (jwk::suits: type, curve, JWA minimum
// sizes, not weak, the key's own alg/use agree) and its key_ops, if any, include "verify", and
// that the signature is the right length and valid. HMAC tags are compared in constant time.
status verify(const compact_jws& jws, const jwk& key, std::string_view alg);

}  // namespace tether::jose

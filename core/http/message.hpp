#pragma once
// Transport-neutral HTTP messages. Handlers take and return these plain structs, so protocol
// logic is unit-tested without sockets and never includes Beast; only the server and client
// plumbing (https_server.cpp, https_client.cpp) converts them to and from the wire.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tls/certificate.hpp"

namespace tether::http {

struct header_field {
  std::string name;
  std::string value;
};

// Ordered fields; names compared case-insensitively (RFC 9110 5.1). Repeated fields are kept
// apart, because "two DPoP headers" and "two Authorization headers" are test cases.
class header_list {
 public:
  void add(std::string name, std::string value);
  void set(std::string name, std::string value);  // replaces every field of that name
  void remove(std::string_view name);
  std::vector<std::string> all(std::string_view name) const;
  std::optional<std::string> first(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  const std::vector<header_field>& fields() const { return fields_; }

 private:
  std::vector<header_field> fields_;
};

bool iequals(std::string_view a, std::string_view b);

struct request {
  std::string method = "GET";
  std::string target = "/";  // origin-form: path and query as received
  header_list headers;
  std::string body;
};

struct response {
  int status = 200;
  header_list headers;
  std::string body;
};

// What the transport knew about the connection a request came in on.
struct connection_info {
  std::shared_ptr<const tls::certificate> client_cert;  // from the TLS layer, if presented
  long chain_verify_result = 0;   // X509_V_OK or the OpenSSL verify error for that certificate
  std::string tls_version;        // "TLSv1.3"
  std::string remote_address;     // "127.0.0.1:54321"
  std::string listener;           // name of the listener that accepted it ("main", "mtls")
  std::string origin;             // how this listener is reached: "https://127.0.0.1:8443"
};

// application/x-www-form-urlencoded (RFC 6749 appendix B); repeated names are kept so that a
// handler can reject them (RFC 6749 3.2: parameters MUST NOT be included more than once).
std::multimap<std::string, std::string> parse_form(std::string_view body);
std::string format_form(const std::vector<std::pair<std::string, std::string>>& fields);
// A '%' without two hex digits after it is kept literally (as the WHATWG URL standard does),
// so malformed input decodes to something rather than to an error or a crash.
std::string url_decode(std::string_view text, bool plus_is_space);
// Every byte but RFC 3986 unreserved ones as %XX (uppercase hex).
std::string url_encode(std::string_view text);

}  // namespace tether::http

#pragma once
// The origin a request claims through forwarding fields: RFC 7239 Forwarded (host= and proto=
// of its first element), else the de-facto X-Forwarded-Host and X-Forwarded-Proto. Only the
// break knob htu_from_forwarded_headers reads it. Whoever sends a request can write these
// fields (RFC 7239 8.1), so an RS without a trusted proxy compares htu with the URI it was
// reached at (RFC 9449 4.3 (9)); believing them lets a proof made for another origin pass.

#include <optional>
#include <string>

#include "core/http/message.hpp"

namespace tether::rs {

// own_origin: "scheme://authority" the RS is reached at. A forwarded host replaces the whole
// authority (port included, as proxies send it); a forwarded proto replaces the scheme.
// nullopt when the request names neither.
std::optional<std::string> forwarded_origin(const http::header_list& headers,
                                            const std::string& own_origin);

}  // namespace tether::rs

#pragma once
// The responses the HTTPS server gives on its own (431, 413, 400, 500 for a failing handler):
// a JSON body in the RFC 6749 5.2 shape, {"error": ..., "error_description": ...}, so that a
// client under test parses them like any other OAuth error. Internal to core/http.

#include <string_view>

#include "core/http/message.hpp"

namespace tether::http::detail {

response error_response(int status, std::string_view error, std::string_view description);

}  // namespace tether::http::detail

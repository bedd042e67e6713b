#pragma once
// Comparison of a proof's htu with the request URI (RFC 9449 4.3 (9)): query and fragment are
// ignored, and (SHOULD) both sides are normalised per RFC 3986 6.2.2 (case of scheme and host,
// percent-encoding case, dot segments) and 6.2.3 (default port, empty path) first. Boost.URL
// does the parsing.

#include <string>
#include <string_view>

#include "core/util/result.hpp"

namespace tether::dpop {

struct htu_options {
  bool normalise = true;              // off: exact string compare after cutting ? and #
  bool case_insensitive = false;      // knob: ignore case in the whole URI (a bug, on purpose)
};

// Normalised form without query and fragment; error if text is not an absolute http(s) URI.
result<std::string> normalise_htu(std::string_view text);

// The form of a URI that the comparison uses: normalised (or only cut at ? and #), and in lower
// case when options.case_insensitive. Two URIs match when these forms are equal; the verifier
// also keys its replay cache on it, so that spelling variants of one URI share one jti scope.
result<std::string> comparable_htu(std::string_view uri, const htu_options& options);

bool htu_matches(std::string_view htu, std::string_view request_url, const htu_options& options);

// The URI without query and fragment, no other change (what a client puts in htu, 4.2).
std::string strip_query_and_fragment(std::string_view uri);

}  // namespace tether::dpop

// Strict JSON object parsing for JOSE headers and JWKs. nlohmann keeps the last of duplicate
// member names silently; RFC 7515 section 4 lets a parser either reject them or keep the last,
// and rejecting is the only choice that lets a verifier report what was actually sent.

#include <string>
#include <vector>

#include "core/jose/jws.hpp"

namespace tether::jose {
namespace {

// Deeper nesting than this has no use in a JOSE header or a JWK and only costs memory.
constexpr int max_depth = 32;

}  // namespace

result<nlohmann::json> parse_json_object(std::string_view bytes) {
  using json = nlohmann::json;
  // nlohmann skips a UTF-8 byte order mark; RFC 8259 section 8.1 forbids sending one, and a
  // header that starts with one is not the bytes a conforming producer would sign.
  if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xEF &&
      static_cast<unsigned char>(bytes[1]) == 0xBB && static_cast<unsigned char>(bytes[2]) == 0xBF)
    return make_error("json.bom", "JSON text starts with a byte order mark (RFC 8259 section 8.1)");

  // One list of member names per open object. Objects are small, so a linear search is cheaper
  // than a set.
  std::vector<std::vector<std::string>> open_objects;
  std::string duplicate;
  bool too_deep = false;
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        if (depth >= max_depth) too_deep = true;
        open_objects.emplace_back();
        break;
      case json::parse_event_t::array_start:
        if (depth >= max_depth) too_deep = true;
        break;
      case json::parse_event_t::key: {
        if (open_objects.empty()) break;
        const auto& name = parsed.get_ref<const std::string&>();
        auto& names = open_objects.back();
        for (const auto& seen : names)
          if (seen == name && duplicate.empty()) duplicate = name;
        names.push_back(name);
        break;
      }
      case json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      default:
        break;
    }
    return true;
  };

  json value = json::parse(bytes.begin(), bytes.end(), callback, /*allow_exceptions=*/false);
  if (value.is_discarded())
    return make_error("json.syntax", "not valid JSON (or not valid UTF-8)");
  if (too_deep)
    return make_error("json.depth", "JSON nests deeper than " + std::to_string(max_depth) + " levels");
  if (!duplicate.empty())
    return make_error("json.duplicate", "duplicate member name \"" + duplicate +
                                            "\" (RFC 7515 section 4: rejected, not resolved)");
  if (!value.is_object())
    return make_error("json.not_object", std::string("JSON value is ") + value.type_name() +
                                             ", an object is required");
  return value;
}

}  // namespace tether::jose

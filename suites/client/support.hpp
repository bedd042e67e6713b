#pragma once
// Shared by the tether-client tests: the generated certificate set, temporary files, and the
// event logs the mocks write (docs/mock-events.md).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::client::testing {

// The build's suite certificate set, generated once per program if needed.
const std::string& certs_dir();
// x5t#S256 of a suite certificate as manifest.json records it.
std::string manifest_x5t(const std::string& name);

std::string make_temp_dir(const std::string& tag);
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

// Every JSON line of an event log.
std::vector<nlohmann::json> read_events(const std::string& path);
// The events whose trace starts with prefix and whose endpoint is `endpoint` ("" = any).
std::vector<nlohmann::json> events_for(const std::string& path, const std::string& trace_prefix,
                                       const std::string& endpoint = "");

// A value that differs per test, for traces.
std::string unique(const std::string& tag);

}  // namespace tether::client::testing

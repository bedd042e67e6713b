#pragma once
// The certificate set the tls tests inspect: generated once per test program into a temporary
// directory by a global environment (suite_certs.cpp) and removed when the program ends.

#include <string>

#include "core/tls/certificate.hpp"

namespace tether::tls::testing {

const std::string& suite_certs_dir();

// <dir>/<name>.crt, failing the calling test when it cannot be loaded.
certificate suite_cert(const std::string& name);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

// A fresh empty directory under the system temporary directory; the caller removes it.
std::string make_temp_dir(const std::string& tag);

}  // namespace tether::tls::testing

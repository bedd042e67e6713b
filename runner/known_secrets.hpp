#pragma once
// Secrets the runner knows (the target's client secrets, the credentials it hands a mock), so
// that a message that quotes a command line, an environment or a file a person wrote can be
// shown without them. Reports carry messages to CI logs and artifacts that many people read;
// JSON members are scrubbed by scrub_secrets (event_reader.hpp), free text by this.

#include <string>

namespace tether::runner::known_secrets {

// Remembers a secret for the rest of the process ("" is ignored). Thread-safe.
void add(const std::string& secret);
// `text` with every occurrence of every known secret replaced by "(redacted)", longest first
// (so that a secret containing another is not half shown).
std::string redact(std::string text);

}  // namespace tether::runner::known_secrets

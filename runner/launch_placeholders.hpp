#pragma once
// Placeholders in a target file, filled in once per run (targets/README.md "Launching"):
//   {port}, {port:NAME}  a free loopback port, chosen by the runner; the same name is the same
//                        port everywhere in the file, so a launch command and the issuer agree
//   {certs}              the run's certificate directory (also $TETHER_CERTS of the launched
//                        implementation and of an external client)
//   {tether-as}, {tether-rs}, {tether-client}
//                        the suite's own programs, for a mock standing in for an implementation
//                        (the guides' examples, the runner's tests)
// They may appear in launch.command, launch.env, launch.ready_url, as.issuer, rs.url, rs.urls
// and client.command. Ephemeral ports let two runs (or two CI jobs) share a machine; an
// implementation that must be configured once uses fixed ports instead.

#include <map>
#include <string>

#include "core/util/result.hpp"
#include "runner/target_model.hpp"

namespace tether::runner {

struct placeholder_values {
  std::string certs_dir;
  std::map<std::string, std::string> programs;  // "tether-as" -> its path
  std::map<std::string, int> ports;  // "" for {port}, NAME for {port:NAME}
};

// The placeholder names used in `text`; an unknown `{...}` is left alone (a JSON argument is
// not a placeholder). Returns an error naming a malformed port placeholder ("{port:}").
status collect_ports(const std::string& text, std::map<std::string, int>& ports);

// `text` with every placeholder replaced.
std::string substitute(const std::string& text, const placeholder_values& values);

// Picks a free port for each name in `ports` (bound on 127.0.0.1 and released just before the
// implementation starts: another program could take it in between, which the launch then
// reports as a failure to start).
status choose_free_ports(std::map<std::string, int>& ports);

// Fills every placeholder of the target in place; the values chosen are returned for messages.
result<placeholder_values> fill_placeholders(target& t, const std::string& certs_dir);

}  // namespace tether::runner

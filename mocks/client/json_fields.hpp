#pragma once
// Reads the members of one JSON object with their types checked, remembering the first problem
// and naming the member in it. Unknown members are errors too: a resolved step comes from the
// runner, and a member this client does not understand means the two disagree about the
// protocol (docs/client-protocol.md), which must not pass silently as a default value.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::client {

class field_reader {
 public:
  // where: how errors name the object ("step", "step.dpop").
  field_reader(const nlohmann::json& object, std::string where);

  // Each reader leaves `out` unchanged when the member is absent or null.
  void text(const char* name, std::string& out);
  void text(const char* name, std::optional<std::string>& out);
  void integer(const char* name, int64_t& out, int64_t min, int64_t max);
  void boolean(const char* name, bool& out);
  // Form-style parameters: an object of strings ({"scope": "a b"}).
  void string_map(const char* name, std::vector<std::pair<std::string, std::string>>& out);
  void string_list(const char* name, std::vector<std::string>& out);
  // The member as it is (marked as known); nullptr when absent or null.
  const nlohmann::json* raw(const char* name);
  // Marks members that are accepted and ignored.
  void ignore(const char* name);

  void fail(const std::string& message);
  const std::string& where() const { return where_; }

  // The first problem, or an unknown member.
  status finish() const;

 private:
  const nlohmann::json* member(const char* name);
  void type_error(const char* name, const char* expected);

  const nlohmann::json& object_;
  std::string where_;
  std::set<std::string> known_;
  std::optional<error> first_;
};

}  // namespace tether::client

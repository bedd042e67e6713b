#pragma once
// Typed access to a JSON document that records what was wrong, and where, instead of throwing:
// the report reader walks the whole document and reports the first problem by JSON pointer
// (RFC 6901), with the number of further problems, so that a broken or foreign report.json is
// refused with a message a person can act on.

#include <cstdint>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::reports {

// "/results/3" + "verdict" -> "/results/3/verdict", with ~ and / escaped as RFC 6901 says.
std::string pointer_child(const std::string& pointer, std::string_view key);
std::string pointer_child(const std::string& pointer, std::size_t index);

// A short rendering of a JSON value for error messages: type and, for scalars, the value.
std::string describe_json(const nlohmann::json& value);

enum class presence { required, optional };

class json_checker {
 public:
  explicit json_checker(std::string where) : where_(std::move(where)) {}

  void problem(const std::string& pointer, std::string message);
  bool ok() const { return problems_ == 0; }
  // "<where> <pointer>: <message>" for the first problem, "(and N more problems)" after it.
  error to_error(std::string code = "report.invalid") const;

  // Each getter returns false and records a problem when the member has the wrong type or is
  // missing though required; an absent optional member (or null, where null is allowed) leaves
  // `out` untouched and returns true.
  const nlohmann::json* member(const nlohmann::json& object, const std::string& pointer,
                               std::string_view key, presence p);
  bool object(const nlohmann::json& object, const std::string& pointer, std::string_view key,
              presence p, const nlohmann::json*& out);
  bool array(const nlohmann::json& object, const std::string& pointer, std::string_view key,
             presence p, const nlohmann::json*& out);
  bool text(const nlohmann::json& object, const std::string& pointer, std::string_view key,
            presence p, std::string& out, bool allow_null = false);
  bool non_empty_text(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                      std::string& out);
  bool one_of(const nlohmann::json& object, const std::string& pointer, std::string_view key,
              presence p, std::span<const std::string_view> allowed, std::string& out,
              bool allow_null = false);
  bool integer(const nlohmann::json& object, const std::string& pointer, std::string_view key,
               presence p, std::optional<std::int64_t>& out, bool allow_null = false);
  bool count(const nlohmann::json& object, const std::string& pointer, std::string_view key,
             std::int64_t& out);
  bool duration(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                presence p, std::optional<double>& out);
  bool boolean(const nlohmann::json& object, const std::string& pointer, std::string_view key,
               presence p, std::optional<bool>& out, bool allow_null = false);
  bool text_array(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                  presence p, std::vector<std::string>& out);

 private:
  std::string where_;
  std::string first_;
  std::size_t problems_ = 0;
};

}  // namespace tether::reports

#pragma once
// Bad input is reported all at once, each problem as `FILE: /json/pointer: plain sentence`, so a
// person fixing a scenario file sees every mistake in one run instead of one per run. The
// object_reader below is the one place that knows how to walk a JSON object strictly: every
// member it is not asked for is an unknown field, because a typo must not silently disable a
// check (scenarios/README.md).

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/result.hpp"

namespace tether::runner {

struct problem {
  std::string file;
  std::string pointer;  // RFC 6901, "" for the whole document
  std::string message;  // one plain sentence, no trailing period needed
};

// "FILE: /pointer: message" (the pointer part is "/" for the whole document).
std::string format_problem(const problem& p);

class problem_list {
 public:
  void add(std::string file, std::string pointer, std::string message);
  void append(const problem_list& other);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<problem>& items() const { return items_; }
  // All problems, one per line, sorted by file then document order of discovery.
  std::string to_text() const;

 private:
  std::vector<problem> items_;
};

// RFC 6901 reference token escaping: "~" -> "~0", "/" -> "~1".
std::string pointer_token(std::string_view key);
std::string pointer_join(const std::string& base, std::string_view key);
std::string pointer_join(const std::string& base, std::size_t index);

// Reads a JSON file, rejecting syntax errors (with line and column) and duplicate object
// members (nlohmann keeps the last one silently; a duplicated "expect" would hide the first).
// Problems go to `out`; the result is discarded JSON when the file cannot be used.
nlohmann::json parse_json_file(const std::string& path, problem_list& out);
nlohmann::json parse_json_text(const std::string& text, const std::string& file, problem_list& out);

// Describes a JSON value's type for messages: "a string", "an integer", "an object", ...
std::string describe_type(const nlohmann::json& v);

// Strict view of one JSON object. Each accessor marks the member as known; finish() reports
// the members nobody asked for.
class object_reader {
 public:
  object_reader(const nlohmann::json& value, std::string file, std::string pointer, problem_list& out);
  ~object_reader();
  object_reader(const object_reader&) = delete;
  object_reader& operator=(const object_reader&) = delete;

  bool valid() const { return object_ != nullptr; }
  const std::string& pointer() const { return pointer_; }
  const std::string& file() const { return file_; }
  std::string at(std::string_view key) const { return pointer_join(pointer_, key); }
  problem_list& problems() { return out_; }
  void problem(std::string_view key, std::string message);
  void problem_here(std::string message);

  // The member, or nullptr when absent (a problem is reported when required).
  const nlohmann::json* get(std::string_view key, bool required = false);
  bool has(std::string_view key) const;

  std::optional<std::string> string(std::string_view key, bool required = false);
  // A string from a closed list; the message lists the choices.
  std::optional<std::string> choice(std::string_view key, const std::vector<std::string>& choices,
                                    bool required = false);
  std::optional<bool> boolean(std::string_view key, bool required = false);
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max, bool required = false);
  std::optional<double> number(std::string_view key, double min, double max, bool required = false);
  // An array of strings (non-empty when required_nonempty).
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required = false,
                                                  bool required_nonempty = false);
  const nlohmann::json* object(std::string_view key, bool required = false);
  const nlohmann::json* array(std::string_view key, bool required = false);

  // Marks every member as known (for maps whose keys are data, such as `notes`).
  void accept_all() { accept_all_ = true; }
  // Reports unknown members; called by the destructor when not called before.
  void finish();

 private:
  const nlohmann::json* object_ = nullptr;
  std::string file_;
  std::string pointer_;
  problem_list& out_;
  std::set<std::string, std::less<>> known_;
  bool accept_all_ = false;
  bool finished_ = false;
};

}  // namespace tether::runner

#include "runner/json_problems.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace tether::runner {

std::string format_problem(const problem& p) {
  return p.file + ": " + (p.pointer.empty() ? std::string("/") : p.pointer) + ": " + p.message;
}

void problem_list::add(std::string file, std::string pointer, std::string message) {
  items_.push_back({std::move(file), std::move(pointer), std::move(message)});
}

void problem_list::append(const problem_list& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::string problem_list::to_text() const {
  std::vector<problem> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const problem& a, const problem& b) { return a.file < b.file; });
  std::string out;
  for (const auto& p : sorted) out += format_problem(p) + "\n";
  return out;
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_join(const std::string& base, std::string_view key) {
  return base + "/" + pointer_token(key);
}

std::string pointer_join(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

std::string describe_type(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a number";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return "an unusable value";
  }
}

namespace {

// Tracks where the parser is so that a duplicate member can be named by its JSON pointer.
struct frame {
  bool is_array = false;
  std::size_t index = 0;
  std::string key;
  std::set<std::string> seen;
};

std::string path_of(const std::vector<frame>& stack, std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth && i < stack.size(); ++i) {
    const frame& f = stack[i];
    out += f.is_array ? pointer_join("", f.index) : pointer_join("", f.key);
  }
  return out;
}

// Line and column of a byte offset, for syntax errors a person can find in an editor.
std::pair<std::size_t, std::size_t> line_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
  }
  return {line, col};
}

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file, problem_list& out) {
  std::vector<frame> stack;
  std::vector<std::string> duplicates;
  auto after_value = [&]() {
    if (!stack.empty() && stack.back().is_array) ++stack.back().index;
  };
  nlohmann::json::parser_callback_t cb = [&](int, nlohmann::json::parse_event_t event,
                                             nlohmann::json& parsed) {
    using ev = nlohmann::json::parse_event_t;
    switch (event) {
      case ev::object_start: stack.push_back(frame{false, 0, {}, {}}); break;
      case ev::array_start: stack.push_back(frame{true, 0, {}, {}}); break;
      case ev::key: {
        frame& f = stack.back();
        f.key = parsed.is_string() ? parsed.get<std::string>() : std::string();
        if (!f.seen.insert(f.key).second)
          duplicates.push_back(path_of(stack, stack.size()));
        break;
      }
      case ev::object_end:
      case ev::array_end:
        if (!stack.empty()) stack.pop_back();
        after_value();
        break;
      case ev::value: after_value(); break;
    }
    return true;
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text, cb, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = line_column(text, e.byte);
    out.add(file, "", "not valid JSON (line " + std::to_string(line) + ", column " +
                          std::to_string(col) + ")");
    return nlohmann::json(nlohmann::json::value_t::discarded);
  } catch (const std::exception&) {
    out.add(file, "", "not valid JSON");
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  for (const auto& d : duplicates)
    out.add(file, d, "duplicate member: a JSON object may name each member once");
  return j;
}

nlohmann::json parse_json_file(const std::string& path, problem_list& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.add(path, "", "cannot read the file");
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_json_text(text.str(), path, out);
}

object_reader::object_reader(const nlohmann::json& value, std::string file, std::string pointer,
                             problem_list& out)
    : file_(std::move(file)), pointer_(std::move(pointer)), out_(out) {
  if (value.is_object()) object_ = &value;
  else out_.add(file_, pointer_, "expected an object, found " + describe_type(value));
}

object_reader::~object_reader() { finish(); }

void object_reader::problem(std::string_view key, std::string message) {
  out_.add(file_, at(key), std::move(message));
}

void object_reader::problem_here(std::string message) { out_.add(file_, pointer_, std::move(message)); }

bool object_reader::has(std::string_view key) const {
  return object_ && object_->find(std::string(key)) != object_->end();
}

const nlohmann::json* object_reader::get(std::string_view key, bool required) {
  known_.insert(std::string(key));
  if (!object_) return nullptr;
  auto it = object_->find(std::string(key));
  if (it == object_->end()) {
    if (required) out_.add(file_, pointer_, "missing required member \"" + std::string(key) + "\"");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> object_reader::string(std::string_view key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    problem(key, "expected a string, found " + describe_type(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::string> object_reader::choice(std::string_view key,
                                                 const std::vector<std::string>& choices,
                                                 bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "\"" : ", \"") + c + "\"";
  if (!v->is_string()) {
    problem(key, "expected one of " + list + ", found " + describe_type(*v));
    return std::nullopt;
  }
  std::string s = v->get<std::string>();
  if (std::find(choices.begin(), choices.end(), s) == choices.end()) {
    problem(key, "expected one of " + list + ", found \"" + s + "\"");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> object_reader::boolean(std::string_view key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    problem(key, "expected true or false, found " + describe_type(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<int64_t> object_reader::integer(std::string_view key, int64_t min, int64_t max,
                                              bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    problem(key, "expected an integer, found " + describe_type(*v));
    return std::nullopt;
  }
  int64_t n = v->get<int64_t>();
  if (n < min || n > max) {
    problem(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                     ", found " + std::to_string(n));
    return std::nullopt;
  }
  return n;
}

std::optional<double> object_reader::number(std::string_view key, double min, double max, bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    problem(key, "expected a number, found " + describe_type(*v));
    return std::nullopt;
  }
  double n = v->get<double>();
  if (n < min || n > max) {
    std::ostringstream msg;
    msg << "expected a number from " << min << " to " << max << ", found " << n;
    problem(key, msg.str());
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<std::string>> object_reader::strings(std::string_view key, bool required,
                                                               bool required_nonempty) {
  const nlohmann::json* v = get(key, required);
  if (!v) return std::nullopt;
  if (!v->is_array()) {
    problem(key, "expected an array of strings, found " + describe_type(*v));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& e = (*v)[i];
    if (!e.is_string()) {
      out_.add(file_, pointer_join(at(key), i), "expected a string, found " + describe_type(e));
      ok = false;
      continue;
    }
    out.push_back(e.get<std::string>());
  }
  if (required_nonempty && v->empty()) {
    problem(key, "expected at least one entry");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

const nlohmann::json* object_reader::object(std::string_view key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    problem(key, "expected an object, found " + describe_type(*v));
    return nullptr;
  }
  return v;
}

const nlohmann::json* object_reader::array(std::string_view key, bool required) {
  const nlohmann::json* v = get(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    problem(key, "expected an array, found " + describe_type(*v));
    return nullptr;
  }
  return v;
}

void object_reader::finish() {
  if (finished_) return;
  finished_ = true;
  if (!object_ || accept_all_) return;
  for (const auto& [key, value] : object_->items()) {
    (void)value;
    if (known_.find(key) == known_.end()) {
      std::string allowed;
      for (const auto& k : known_) allowed += (allowed.empty() ? "" : ", ") + k;
      out_.add(file_, at(key), "unknown field \"" + key + "\" (allowed here: " + allowed + ")");
    }
  }
}

}  // namespace tether::runner

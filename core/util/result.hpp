#pragma once
// A value or an error, returned across every module boundary instead of throwing: bad input
// (a malformed proof, a broken header, an unreadable file) is data in a test suite, not an
// exceptional event, and each error carries a message that names what was wrong.

#include <string>
#include <utility>
#include <variant>

namespace tether {

struct error {
  std::string code;     // stable, machine-readable: "base64url.padding", "jws.signature", ...
  std::string message;  // one plain sentence naming the field, header or file and what was wrong
};

inline error make_error(std::string code, std::string message) {
  return error{std::move(code), std::move(message)};
}

template <typename T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(error e) : v_(std::in_place_index<1>, std::move(e)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const error& err() const { return std::get<1>(v_); }

 private:
  std::variant<T, error> v_;
};

// result<void>: success or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(error e) : e_(std::move(e)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const error& err() const { return e_; }

 private:
  error e_;
  bool ok_ = true;
};

using status = result<void>;

}  // namespace tether

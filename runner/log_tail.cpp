#include "runner/log_tail.hpp"

#include <fstream>
#include <iterator>

#include "runner/known_secrets.hpp"

namespace tether::runner {

std::string log_tail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return "";
  std::size_t from = text.size();
  for (int lines = 0; lines < 3 && from != std::string::npos && from > 0; ++lines) from = text.rfind('\n', from - 1);
  std::string tail = from == std::string::npos ? text : text.substr(from + 1);
  if (tail.size() > 400) tail = "..." + tail.substr(tail.size() - 400);
  for (char& c : tail)
    if (c == '\n' || c == '\r') c = ' ';
  return known_secrets::redact(tail);  // a launch script may echo its environment
}

}  // namespace tether::runner

// Any report document, however broken, is refused or written: read_report and every writer
// must neither crash nor throw, and what they write must stay well-formed text. Two inputs per
// run: the bytes parsed as JSON, and the hand-written fixture with leaves replaced by values
// the bytes choose (so the fuzzer reaches the writers without a seed corpus).

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/html_writer.hpp"
#include "reports/junit_writer.hpp"
#include "reports/markdown_writer.hpp"
#include "reports/matrix_writer.hpp"
#include "reports/report_model.hpp"
#include "reports/text_escape.hpp"

namespace {

using nlohmann::json;

const json& fixture() {
  static const json doc = [] {
    std::ifstream in(TETHER_REPORTS_TESTDATA "/report-fixture.json");
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str(), nullptr, false);
  }();
  return doc;
}

void require(bool ok) {
  if (!ok) __builtin_trap();
}

void render_all(const json& doc) {
  auto model = tether::reports::read_report(doc);
  if (!model.ok()) {
    require(!model.err().message.empty());
    return;
  }
  const std::string xml = tether::reports::render_junit(*model);
  require(tether::reports::sanitize_utf8(xml) == xml);
  for (unsigned char c : xml) require(c >= 0x20 || c == '\n' || c == '\t');
  const std::string md = tether::reports::render_markdown(*model);
  require(tether::reports::sanitize_utf8(md) == md);
  const std::string html = tether::reports::render_html(*model);
  require(tether::reports::sanitize_utf8(html) == html);
  require(html.find("<script", html.find("<script") + 1) == std::string::npos);
  std::vector<tether::reports::report_document> two{*model, *model};
  (void)tether::reports::render_matrix_markdown(two);
  (void)tether::reports::render_matrix_html(two);
}

// The fixture's leaves (json::flatten's keys: scalars and empty containers), parsed once. Per
// input the fixture is copied and edited in place through these pointers: flattening and
// unflattening the whole document for every input cost most of the harness's time.
const std::vector<json::json_pointer>& leaves() {
  static const std::vector<json::json_pointer> pointers = [] {
    std::vector<json::json_pointer> out;
    const json flat = fixture().flatten();
    for (const auto& [k, v] : flat.items()) out.emplace_back(k);
    return out;
  }();
  return pointers;
}

// Replaces leaves of the fixture: each step takes one byte to pick a leaf, one for the kind of
// value, and up to 16 bytes of text.
json mutated(const std::uint8_t* data, std::size_t size) {
  const auto& keys = leaves();
  json doc = fixture();
  std::size_t i = 0;
  while (i + 2 <= size) {
    const json::json_pointer& key = keys[data[i] % keys.size()];
    const std::uint8_t kind = data[i + 1];
    i += 2;
    const std::size_t len = std::min<std::size_t>(size - i, kind >> 4);
    const std::string text(reinterpret_cast<const char*>(data + i), len);
    i += len;
    switch (kind % 6) {
      case 0: doc[key] = text; break;
      case 1: doc[key] = nullptr; break;
      case 2: doc[key] = static_cast<std::int64_t>(kind) - 64; break;
      case 3: doc[key] = kind % 2 == 0; break;
      case 4: doc[key] = static_cast<double>(kind) / 7.0; break;
      default: {
        // An earlier removal may have shifted an array, so the leaf may be gone already.
        if (!doc.contains(key)) break;
        json& parent = doc[key.parent_pointer()];
        if (parent.is_object()) {
          parent.erase(key.back());
        } else if (parent.is_array()) {
          parent.erase(static_cast<std::size_t>(std::stoul(key.back())));
        }
        break;
      }
    }
  }
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  require(tether::reports::sanitize_utf8(tether::reports::xml_attr(bytes)) == tether::reports::xml_attr(bytes));
  (void)tether::reports::md_code(bytes);

  const json parsed = json::parse(bytes, nullptr, false);
  if (!parsed.is_discarded()) render_all(parsed);

  json doc;
  try {
    doc = mutated(data, size);  // building the input may throw; the code under test may not
  } catch (const json::exception&) {
    return 0;
  }
  render_all(doc);
  return 0;
}

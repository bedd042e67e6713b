#include "reports/html_page.hpp"

#include <openssl/evp.h>

#include <array>

#include <fmt/format.h>

#include "reports/text_escape.hpp"

namespace tether::reports {
namespace {

// System fonts only: the page must render the same offline, and loads nothing.
constexpr std::string_view style_sheet = R"css(
:root{--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--warn:#9a6700;--warn-bg:#fff8c5;
--info:#0969da;--info-bg:#ddf4ff;--skip:#6e7781;--skip-bg:#eaeef2;--error:#8250df;--error-bg:#fbefff;
--line:#d0d7de;--soft:#eaeef2;--muted:#57606a;--ink:#1f2328;--page:#f6f8fa;--head:#24292f}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--page)}
[hidden]{display:none!important}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
code,.mono{font:12.5px/1.45 ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace}
header.top{background:var(--head);color:#fff;padding:22px 32px 18px}
header.top h1{margin:0;font-size:22px;font-weight:600;letter-spacing:.01em}
header.top h1 .version{color:#8c959f;font-weight:400;margin-left:8px}
header.top .meta{color:#c9d1d9;font-size:13px;margin-top:6px}
header.top .meta span+span:before{content:"\00b7";margin:0 8px;color:#6e7781}
main{padding:8px 32px 32px}
h2{font-size:16px;font-weight:600;margin:26px 0 10px;color:var(--ink)}
p.lead{margin:-4px 0 10px;color:var(--muted)}
.v-pass{--c:var(--pass);--bg:var(--pass-bg)}.v-fail{--c:var(--fail);--bg:var(--fail-bg)}
.v-warn{--c:var(--warn);--bg:var(--warn-bg)}.v-info{--c:var(--info);--bg:var(--info-bg)}
.v-skip{--c:var(--skip);--bg:var(--skip-bg)}.v-error{--c:var(--error);--bg:var(--error-bg)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(132px,1fr));gap:12px;margin-top:18px}
.card{background:#fff;border:1px solid var(--line);border-top:4px solid var(--c,var(--ink));border-radius:6px;padding:8px 14px 10px}
.card .n{display:block;font-size:30px;font-weight:650;line-height:1.2;color:var(--c,var(--ink))}
.card .l{display:block;font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.card .d{display:block;font-size:11.5px;color:var(--muted);max-width:180px;line-height:1.3;margin-top:2px}
.js .card[data-verdict]{cursor:pointer}.js .card[data-verdict]:hover{box-shadow:0 1px 4px rgba(31,35,40,.18)}
svg.bar{display:block;width:100%;height:10px;margin-top:14px;border-radius:5px;background:var(--soft)}
.b-pass{fill:var(--pass)}.b-fail{fill:var(--fail)}.b-warn{fill:#d4a72c}.b-info{fill:var(--info)}.b-skip{fill:#afb8c1}.b-error{fill:var(--error)}
.badge{display:inline-block;min-width:46px;text-align:center;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;line-height:19px;color:var(--c);background:var(--bg);border:1px solid var(--c)}
table{border-collapse:separate;border-spacing:0;width:100%;background:#fff;border:1px solid var(--line);border-radius:6px}
th,td{padding:7px 10px;border-bottom:1px solid var(--soft);text-align:left;vertical-align:top}
thead th{background:#f6f8fa;font-size:11.5px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
tbody.section-head th{background:#eef1f4;color:var(--ink);font-size:13.5px;font-weight:600;padding:8px 10px;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
tbody.section-head .count{color:var(--muted);font-weight:400;margin-left:8px}
tbody.result>tr.result-row>td:first-child{border-left:4px solid var(--c)}
tbody.result>tr.detail-row>td{border-left:4px solid var(--c);padding-top:0;border-bottom:1px solid var(--line)}
td.id code{color:var(--ink);font-weight:600}
td.id .title{display:block;color:var(--ink)}
td.num{text-align:right;white-space:nowrap;color:var(--muted)}
td.level,td.refs{white-space:nowrap}
td.refs code{display:block;color:var(--muted)}
td.answer code{font-weight:600}
.desc{display:block;color:var(--muted);font-size:12.5px;overflow-wrap:anywhere}
.reason{display:block;color:var(--c);font-size:12.5px;margin-top:2px;overflow-wrap:anywhere}
details>summary{cursor:pointer;color:var(--muted);font-size:12.5px;padding:2px 0;user-select:none}
details>summary:hover{color:var(--ink)}
details[open]>summary{margin-bottom:6px}
.detail{padding:2px 0 8px 4px}
.detail dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 10px;font-size:13px}
.detail dt{color:var(--muted)}.detail dd{margin:0;overflow-wrap:anywhere}
.step{border:1px solid var(--line);border-radius:6px;margin:8px 0;background:#fbfcfd}
.step h4{margin:0;padding:6px 10px;font-size:13px;font-weight:600;border-bottom:1px solid var(--soft);display:flex;gap:10px;flex-wrap:wrap;align-items:baseline}
.step h4 .kind{font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 5px}
.step h4 .act{font-weight:400;color:var(--muted)}
.step h4 .ms{margin-left:auto;color:var(--muted);font-weight:400}
.step .body{padding:6px 10px 8px}
.step table{border-radius:4px;margin:4px 0 8px;font-size:12.5px}
.step th{font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);background:#f6f8fa;position:static}
.step td{padding:4px 8px}
.step table{table-layout:fixed}
.step th:nth-child(1){width:30px}.step th:nth-child(2){width:34%}.step th:nth-child(3){width:80px}
.step td:first-child{text-align:center}
.step td{overflow-wrap:anywhere}
.met{color:var(--pass);font-weight:700}.unmet{color:var(--fail);font-weight:700}
tr.unmet-row td{background:#fff5f5}
ul.events{margin:4px 0 0;padding-left:18px;font-size:12.5px}
ul.events li{margin:2px 0}
ul.events .srv{font-weight:600}
ul.events .knob{display:inline-block;font-size:11px;color:var(--warn);border:1px solid #d4a72c;border-radius:4px;padding:0 4px;margin-left:6px}
pre.raw{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f8fa;border:1px solid var(--soft);border-radius:4px;padding:6px 8px;margin:4px 0;font-size:11.5px}
.filters{position:sticky;top:0;z-index:3;display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;background:rgba(246,248,250,.96);border-bottom:1px solid var(--line);padding:10px 0;margin:6px 0 10px}
.filters .label{font-size:11.5px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.chip{display:inline-flex;align-items:center;gap:5px;font-size:12.5px;font-weight:600;color:var(--c);background:var(--bg);border:1px solid var(--c);border-radius:12px;padding:1px 10px 1px 6px;cursor:pointer}
.chip input{margin:0;accent-color:var(--c)}
.chip .k{font-weight:400}
.filters select,.filters input[type=search]{font:inherit;font-size:13px;padding:3px 8px;border:1px solid var(--line);border-radius:6px;background:#fff}
.filters input[type=search]{min-width:220px}
.filters .shown{margin-left:auto;color:var(--muted);font-size:12.5px}
ul.attention{list-style:none;margin:0;padding:0}
ul.attention li{margin:4px 0}
ul.attention li{display:grid;grid-template-columns:70px 1fr;align-items:baseline}
ul.attention .badge{justify-self:start}
ul.attention .reason{grid-column:2}
.matrix{table-layout:fixed}.matrix th.qcol{width:52px}.matrix th.scol{width:380px}.matrix th.impl{width:210px}
.matrix td.cell{background:var(--bg);border-left:1px solid #fff;overflow-wrap:anywhere}
.matrix td.cell .badge{min-width:0;padding:0 6px;font-size:11px;line-height:16px;margin-right:6px}
.matrix td.cell code{font-weight:600}
.matrix td.absent{color:var(--muted);text-align:center;background:#fafbfc}
.matrix thead th.impl{text-transform:none;letter-spacing:0;font-size:13px;color:var(--ink);overflow-wrap:anywhere}
.matrix thead th.impl .ver{font-weight:400;color:var(--muted)}
.matrix thead th.impl .date{display:block;font-weight:400;font-size:11.5px;color:var(--muted)}
.matrix thead th.impl .tally{display:block;font-weight:400;font-size:11px;color:var(--muted)}
.matrix td.q{font-weight:700;white-space:nowrap;color:var(--info)}
.matrix tr.differs td.id:before{content:"\2260";float:right;margin-left:6px;color:var(--warn);font-weight:700}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0;font-size:13px;background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px}
dl.legend dd{margin:0;color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding:6px 32px 24px}
@media print{.filters{display:none!important}body{background:#fff}thead th{position:static}}
)css";

}  // namespace

std::string_view html_style_sheet() { return style_sheet; }

std::string csp_hash_source(std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1) {
    return "'none'";  // no hash, no script: the page still shows every result
  }
  std::array<unsigned char, 64> b64{};
  const int n = EVP_EncodeBlock(b64.data(), digest.data(), static_cast<int>(len));
  return fmt::format("'sha256-{}'", std::string_view(reinterpret_cast<const char*>(b64.data()), static_cast<std::size_t>(n)));
}

std::string render_html_page(const html_page_parts& parts) {
  const std::string script_src = parts.script.empty() ? std::string("'none'") : csp_hash_source(parts.script);
  std::string out;
  out.reserve(style_sheet.size() + parts.body.size() + parts.script.size() + 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; "
      "base-uri 'none'; form-action 'none'\">\n",
      csp_hash_source(style_sheet), script_src);
  out += fmt::format("<meta name=\"generator\" content=\"{}\">\n", html_text(parts.generator));
  out += fmt::format("<title>{}</title>\n", html_text(parts.title));
  out += "<style>";
  out += style_sheet;
  out += "</style>\n</head>\n<body>\n";
  out += parts.body;
  if (!parts.script.empty()) {
    out += "<script>";
    out += parts.script;
    out += "</script>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace tether::reports

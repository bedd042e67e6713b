#pragma once
// Escaping for the three text formats the reports are written in. Everything a report shows may
// come from the implementation under test (an error_description, a challenge parameter, a body),
// so every string passes through one of these before it reaches a file: a hostile answer must
// neither break the document nor run in a reader's browser.
//
// All functions first repair the text: a byte that is not part of well-formed UTF-8 (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF) becomes U+FFFD, and a C0 control
// character or DEL becomes its visible stand-in from the Control Pictures block (U+2400 + c,
// U+2421), so a reader sees that the server sent one. Tab, line feed and carriage return are
// kept where the format can carry them.

#include <string>
#include <string_view>

namespace tether::reports {

// Well-formed UTF-8 with invalid bytes replaced by U+FFFD; control characters untouched.
std::string sanitize_utf8(std::string_view text);

// XML 1.0 character data (element content). XML 1.0 cannot carry most C0 characters even as
// character references (section 2.2), hence the stand-ins; U+FFFE and U+FFFF become U+FFFD.
std::string xml_text(std::string_view text);

// XML attribute value inside double quotes. Tab, line feed and carriage return are written as
// character references, because attribute-value normalisation (XML 1.0 3.3.3) would otherwise
// turn them into spaces.
std::string xml_attr(std::string_view text);

// HTML text or quoted attribute value: & < > " ' escaped, so the same call serves both.
std::string html_text(std::string_view text);

// Prose inside Markdown, on one line (table cells, list items): CommonMark backslash escapes
// for every character that could start markup (`, *, _, [, ], <, >, |, ~, \), & when it could
// start an entity; line breaks become spaces. `_` between two letters or digits stays as it
// is: CommonMark never treats an intraword underscore as emphasis, and error codes stay readable.
std::string md_text(std::string_view text);

// Where a Markdown code span appears: inside a GFM table cell a `|` must be written `\|` even
// in a code span (GFM spec 4.10), elsewhere the backslash would be shown.
enum class md_place { table_cell, prose };

// A Markdown code span showing `text` literally: the fence is one backtick longer than the
// longest run of backticks inside (CommonMark 6.1). Empty text gives an empty string.
std::string md_code(std::string_view text, md_place place = md_place::table_cell);

}  // namespace tether::reports

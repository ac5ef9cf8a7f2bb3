// SPDX-License-Identifier: Apache-2.0
#pragma once

// Text made safe for roff, the language of man pages: what `airlock man` writes is read by
// groff, mandoc and lexgrog, which take some characters as commands.

#include <string>
#include <string_view>

namespace airlock::cli {

// `text` as roff prints it literally: backslashes as \e, every hyphen as \- (a hyphen in an
// option name must stay an ASCII minus, to be copied from the page and searched for), a '.' or
// '\'' that starts a line guarded by \& (it would be a request), other characters outside ASCII
// as \[uXXXX] (a byte that is not UTF-8 as U+FFFD), tabs as spaces and other control characters
// dropped; line feeds are kept.
std::string roff_escape(std::string_view text);

// `text` escaped for one argument of a request (.TH): in double quotes, its quotes as \(dq and
// line feeds as spaces.
std::string roff_argument(std::string_view text);

} // namespace airlock::cli

// SPDX-License-Identifier: Apache-2.0
#include "roff.hpp"

#include <doctest/doctest.h>

using namespace airlock::cli;

TEST_CASE("cli::roff_escape")
{
    CHECK(roff_escape("plain words") == "plain words");
    // Option names keep an ASCII minus; backslashes print as themselves.
    CHECK(roff_escape("--trusted-key K") == "\\-\\-trusted\\-key K");
    CHECK(roff_escape("a \\ b \\fB") == "a \\e b \\efB");
    // A '.' or '\'' starting a line would be a request; elsewhere it is text.
    CHECK(roff_escape(".SH x") == "\\&.SH x");
    CHECK(roff_escape("'br") == "\\&'br");
    CHECK(roff_escape("a.b 'c'\n.d\n'e") == "a.b 'c'\n\\&.d\n\\&'e");
    // ... also when a dropped control character stood before it.
    CHECK(roff_escape("\x01.TH") == "\\&.TH");
    CHECK(roff_escape("a\tb\x1b[31mc\x7f") == "a b[31mc");
    // Characters outside ASCII by name, so that groff reads them in any input encoding.
    CHECK(roff_escape("2^32 \xe2\x88\x92 1") == "2^32 \\[u2212] 1");
    CHECK(roff_escape("caf\xc3\xa9") == "caf\\[u00E9]");
    CHECK(roff_escape("\xf0\x9f\x94\x91") == "\\[u1F511]");
    // Bytes that are not UTF-8: a stray continuation, a cut sequence, an overlong form, a
    // surrogate.
    CHECK(roff_escape("\x80") == "\\[uFFFD]");
    CHECK(roff_escape("x\xc3") == "x\\[uFFFD]");
    CHECK(roff_escape("\xc0\xaf") == "\\[uFFFD]\\[uFFFD]");
    CHECK(roff_escape("\xed\xa0\x80") == "\\[uFFFD]\\[uFFFD]\\[uFFFD]");
    CHECK(roff_escape("") == "");
}

TEST_CASE("cli::roff_argument")
{
    CHECK(roff_argument("AIRLOCK-PACK") == "\"AIRLOCK\\-PACK\"");
    CHECK(roff_argument("say \"hi\"") == "\"say \\(dqhi\\(dq\"");
    CHECK(roff_argument("two\nlines") == "\"two lines\"");
    CHECK(roff_argument(".x") == "\"\\&.x\"");
}

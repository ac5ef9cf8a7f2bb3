// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/config_file.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace airlock;

TEST_CASE("parse_config: strings, bare words, arrays, comments")
{
    const auto entries = parse_config("# site settings\n"
                                      "store = \"oci:/srv/a b\"  # quoted\n"
                                      "\n"
                                      "cert-dir=/etc/certs\r\n"
                                      "insecure-registries = [\"r1:5000\", r2, \"q\\\"x\"]\n"
                                      "empty = []\n",
                                      "a.conf");
    REQUIRE(entries);
    REQUIRE(entries->size() == 4);
    CHECK((*entries)[0].key == "store");
    CHECK((*entries)[0].values == std::vector<std::string>{"oci:/srv/a b"});
    CHECK((*entries)[0].line == 2);
    CHECK((*entries)[1].values == std::vector<std::string>{"/etc/certs"});
    CHECK((*entries)[2].values == std::vector<std::string>{"r1:5000", "r2", "q\"x"});
    CHECK((*entries)[3].values.empty());
}

TEST_CASE("parse_config refuses malformed lines, naming file and line")
{
    for (const std::string text : {"store\n",
                                   "= x\n",
                                   "[section]\n",
                                   "store = \"open\n",
                                   "store = a b\n",
                                   "list = [a, b\n",
                                   "list = [a,]\n",
                                   "store =\n",
                                   "store = \"oci:C:\\ProgramData\\s\"\n"}) {
        const auto entries = parse_config("# ok\n" + text, "b.conf");
        REQUIRE_FALSE(entries);
        CHECK(entries.error().code == Errc::usage);
        CHECK(entries.error().message.starts_with("b.conf:2: expected"));
    }
}

TEST_CASE("parse_config is bounded")
{
    CHECK_FALSE(parse_config(std::string(65U << 10U, '#'), "big.conf"));
    std::string many;
    for (int i = 0; i < 300; ++i) {
        many += "k = v\n";
    }
    CHECK_FALSE(parse_config(many, "many.conf"));
}

TEST_CASE("parse_config: TOML literal strings and a byte order mark")
{
    const auto entries =
        parse_config("\xEF\xBB\xBFstore = 'oci:/srv/a\\b'\nlist = ['x', \"y\"]\n", "c.conf");
    REQUIRE(entries);
    REQUIRE(entries->size() == 2);
    CHECK((*entries)[0].values == std::vector<std::string>{"oci:/srv/a\\b"});
    CHECK((*entries)[1].values == std::vector<std::string>{"x", "y"});
    CHECK_FALSE(parse_config("store = 'open\n", "d.conf"));
}

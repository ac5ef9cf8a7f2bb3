// SPDX-License-Identifier: Apache-2.0
// Where airlock finds things on POSIX systems (paths_posix.cpp).
#include <airlock/base/paths.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

using namespace airlock;

TEST_CASE("base::system_ca_bundle")
{
    const char* saved = std::getenv("SSL_CERT_FILE");
    const std::string before = saved != nullptr ? saved : "";
    SUBCASE("SSL_CERT_FILE names it, existing or not")
    {
        ::setenv("SSL_CERT_FILE", "/nonexistent/ca.pem", 1);
        CHECK(system_ca_bundle() == "/nonexistent/ca.pem");
    }
    SUBCASE("else a distribution's bundle file that exists, or nothing")
    {
        ::setenv("SSL_CERT_FILE", "", 1);
        const std::filesystem::path bundle = system_ca_bundle();
        CHECK((bundle.empty() || std::filesystem::is_regular_file(bundle)));
        if (std::filesystem::is_regular_file("/etc/ssl/certs/ca-certificates.crt")) {
            CHECK(bundle == "/etc/ssl/certs/ca-certificates.crt");
        }
    }
    if (saved != nullptr) {
        ::setenv("SSL_CERT_FILE", before.c_str(), 1);
    } else {
        ::unsetenv("SSL_CERT_FILE");
    }
}

// SPDX-License-Identifier: Apache-2.0
//
// Image references (command line, image lists, bundle.json, OCI layout annotations).
// Normalisation must be idempotent: the string form of a parsed reference parses to itself.
#include <airlock/manifest/reference.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using airlock::manifest::Reference;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)airlock::manifest::is_valid_tag(text);
    const auto parsed = Reference::parse(text);
    if (!parsed) {
        return 0;
    }
    (void)parsed->familiar_name();
    const auto again = Reference::parse(parsed->str());
    if (!again || again->str() != parsed->str() || again->name() != parsed->name()) {
        std::abort();
    }
    return 0;
}

// SPDX-License-Identifier: Apache-2.0
//
// registries.d files (the YAML subset airlock reads): any input parses or fails cleanly, and a
// configuration that parsed answers lookups and makes signature URLs.
#include <airlock/manifest/registries_d.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace airlock::manifest;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    RegistriesD config;
    if (!parse_registries_d(text, "fuzz.yaml", config)) {
        return 0;
    }
    for (const auto& [scope, lookaside] : config.docker) {
        if (!lookaside.lookaside.empty()
            && lookaside_url(config, scope, false) != lookaside.lookaside) {
            std::abort(); // a scope that sets a lookaside is its own best match
        }
        (void)signature_url(lookaside.lookaside, scope, "sha256:00", 1);
        (void)lookaside_directory(lookaside.lookaside);
    }
    (void)lookaside_url(config, "registry.example/a/b", true);
    return 0;
}

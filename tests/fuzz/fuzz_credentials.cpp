// SPDX-License-Identifier: Apache-2.0
//
// Docker config files (--authfile, ~/.docker/config.json): the `auths` entries for a registry
// with a port and for Docker Hub (which has extra keys).
#include "input_file.hpp"

#include <airlock/registry/credentials.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    airlock::registry::RegistryOptions options;
    options.auth_file = airlock::fuzz::input_directory().write("config.json", data, size);
    (void)airlock::registry::find_credentials(options, "registry.example:5000");
    (void)airlock::registry::find_credentials(options, "docker.io");
    return 0;
}

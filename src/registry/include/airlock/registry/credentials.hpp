// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/registry/options.hpp>

#include <optional>
#include <string>

namespace airlock::registry {

struct Credentials
{
    std::string username;
    std::string password;
};

// The credentials for registry `host` ("quay.io", "localhost:5000"): --creds, else the
// `auths` entry of --authfile, $DOCKER_CONFIG/config.json or ~/.docker/config.json (keys
// "host", "https://host", "http://host"; Docker Hub also "https://index.docker.io/v1/").
// Errc::format for an unreadable auth file; nothing when none applies.
Result<std::optional<Credentials>> find_credentials(const RegistryOptions& options,
                                                    const std::string& host);

} // namespace airlock::registry

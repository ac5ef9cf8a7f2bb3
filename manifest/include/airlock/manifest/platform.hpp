// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <string>
#include <string_view>

namespace airlock::manifest {

// An image platform as in OCI descriptors and configs.
struct Platform
{
    std::string os;
    std::string architecture;
    std::string variant;
    std::string os_version; // Windows build, "10.0.20348.2849"

    // Parses "os/arch[/variant][:os.version]" (the --platform syntax). Errc::usage.
    static Result<Platform> parse(std::string_view text);

    // "linux/arm64/v8", "windows/amd64:10.0.20348.2849".
    std::string str() const;

    // True when this platform (a request, fields empty = any) accepts `candidate`.
    // The variant must match when requested (arm64 without variant means v8); `os_version`
    // matches as a prefix on dot boundaries, so "10.0.20348" accepts "10.0.20348.2849".
    bool accepts(const Platform& candidate) const;

    bool operator==(const Platform&) const = default;
};

// The platform this binary runs on, in OCI terms (linux/amd64, linux/arm64/v8, ...).
Platform host_platform();

} // namespace airlock::manifest

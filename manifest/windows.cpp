// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/windows.hpp>

#include <charconv>

namespace airlock::manifest {

namespace {

constexpr unsigned long k_stable_abi_build = 20348;

} // namespace

std::optional<unsigned long> windows_build(std::string_view os_version)
{
    // major.minor.build[.revision]
    std::size_t start = 0;
    for (int dot = 0; dot < 2; ++dot) {
        start = os_version.find('.', start);
        if (start == std::string_view::npos) {
            return std::nullopt;
        }
        ++start;
    }
    const std::string_view rest = os_version.substr(start);
    unsigned long build = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), build);
    if (ec != std::errc() || end == rest.data()
        || (end != rest.data() + rest.size() && *end != '.')) {
        return std::nullopt;
    }
    return build;
}

std::optional<WindowsFit> windows_fit(std::string_view image_os_version,
                                      std::string_view host_os_version)
{
    const auto image = windows_build(image_os_version);
    const auto host = windows_build(host_os_version);
    if (!image || !host) {
        return std::nullopt;
    }
    if (*image > *host) {
        return WindowsFit::too_new;
    }
    if (*image == *host || *image >= k_stable_abi_build) {
        return WindowsFit::process_isolation;
    }
    return WindowsFit::hyperv_only;
}

} // namespace airlock::manifest

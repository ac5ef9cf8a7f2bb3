// SPDX-License-Identifier: Apache-2.0
#include "store_identity.hpp"

#include <airlock/base/str_cat.hpp>

#include <algorithm>
#include <filesystem>

namespace airlock::unpack {

namespace fs = std::filesystem;

std::string resolved_path(const std::string& path)
{
    std::error_code ec;
    const fs::path out = fs::weakly_canonical(fs::path(path), ec);
    return ec ? fs::path(path).lexically_normal().string() : out.string();
}

std::string normalise_registry_host(std::string_view host)
{
    const std::string text = ascii_lower(host);
    std::string name;
    std::string port;
    if (text.starts_with('[')) { // [IPv6]:port
        const auto close = text.find(']');
        name = text.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        if (close != std::string::npos && close + 1 < text.size() && text[close + 1] == ':') {
            port = text.substr(close + 2);
        }
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        const auto colon = text.find(':');
        name = text.substr(0, colon);
        port = text.substr(colon + 1);
    } else {
        name = text; // a bare IPv6 address has no port
    }
    while (name.ends_with('.')) {
        name.pop_back();
    }
    if (name == "127.0.0.1" || name == "::1" || name == "localhost") {
        name = "localhost";
    } else if (name == "index.docker.io" || name == "registry-1.docker.io") {
        name = "docker.io";
    }
    if (port == "443" || port == "80") {
        port.clear();
    }
    return port.empty() ? name : name + ":" + port;
}

} // namespace airlock::unpack

// SPDX-License-Identifier: Apache-2.0
#include "store_identity.hpp"

#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>

#include <algorithm>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

// The path with symlinks resolved as far as it exists (a socket may be absent when checked).
std::string resolved(const std::string& path)
{
    std::error_code ec;
    const fs::path out = fs::weakly_canonical(fs::path(path), ec);
    return ec ? fs::path(path).lexically_normal().string() : out.string();
}

} // namespace

std::string normalise_registry_host(std::string_view host)
{
    std::string text(host);
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
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

std::string store_identity(const ImportOptions& options)
{
    if (options.registry) {
        std::string prefix = options.registry->prefix;
        while (prefix.ends_with('/')) {
            prefix.pop_back();
        }
        while (prefix.starts_with('/')) {
            prefix.erase(0, 1);
        }
        return str_cat("docker://",
                       normalise_registry_host(options.registry->host),
                       prefix.empty() ? "" : "/" + prefix);
    }
    if (options.engine) {
        return "docker-engine:" + resolved(options.engine->socket);
    }
    if (options.containerd) {
        return str_cat("containerd:",
                       resolved(options.containerd->socket),
                       "?namespace=",
                       options.containerd->namespace_name);
    }
    return "oci:" + options.store.string();
}

fs::path local_ledger_path(const ImportOptions& options)
{
    // Named as before store identities were normalised, so that a store spelled the normal way
    // keeps its file: docker-HOST-PREFIX, docker-engine-SOCKET, containerd-SOCKET-NS.
    std::string raw;
    if (options.registry) {
        const std::string identity = store_identity(options).substr(9);
        const auto slash = identity.find('/');
        raw = str_cat("docker-",
                      identity.substr(0, slash),
                      "-",
                      slash == std::string::npos ? "" : identity.substr(slash + 1));
    } else if (options.engine) {
        raw = "docker-engine-" + resolved(options.engine->socket);
    } else if (options.containerd) {
        raw = str_cat("containerd-",
                      resolved(options.containerd->socket),
                      "-",
                      options.containerd->namespace_name);
    } else {
        raw = "oci-" + options.store.string();
    }
    std::string name;
    for (const char c : raw) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                           || (c >= '0' && c <= '9') || c == '.' || c == '-';
        name.push_back(plain ? c : '_');
    }
    return data_dir() / "state" / "channels" / (name + ".json");
}

} // namespace airlock::unpack

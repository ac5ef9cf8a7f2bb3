// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/platform.hpp>

namespace airlock::manifest {

namespace {

// arm64 images usually omit the variant; "v8" is what it means.
std::string effective_variant(const Platform& p)
{
    if (p.variant.empty() && p.architecture == "arm64") {
        return "v8";
    }
    return p.variant;
}

bool version_prefix_matches(std::string_view prefix, std::string_view version)
{
    if (!version.starts_with(prefix)) {
        return false;
    }
    return version.size() == prefix.size() || version[prefix.size()] == '.';
}

} // namespace

Result<Platform> Platform::parse(std::string_view text)
{
    Platform p;
    std::string_view rest = text;
    if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
        p.os_version = std::string(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
        if (p.os_version.empty()) {
            return fail(Errc::usage,
                        str_cat("invalid platform '", text, "': empty os.version after ':'"));
        }
    }
    const auto first = rest.find('/');
    if (first == std::string_view::npos || first == 0) {
        return fail(
            Errc::usage,
            str_cat("invalid platform '", text, "': expected os/arch[/variant][:os.version]"));
    }
    p.os = std::string(rest.substr(0, first));
    rest = rest.substr(first + 1);
    const auto second = rest.find('/');
    p.architecture = std::string(rest.substr(0, second));
    if (second != std::string_view::npos) {
        p.variant = std::string(rest.substr(second + 1));
        if (p.variant.empty() || p.variant.find('/') != std::string::npos) {
            return fail(Errc::usage, str_cat("invalid platform '", text, "': bad variant"));
        }
    }
    if (p.architecture.empty()) {
        return fail(Errc::usage, str_cat("invalid platform '", text, "': empty architecture"));
    }
    return p;
}

std::string Platform::str() const
{
    std::string out = os + "/" + architecture;
    if (!variant.empty()) {
        out += "/" + variant;
    }
    if (!os_version.empty()) {
        out += ":" + os_version;
    }
    return out;
}

bool Platform::accepts(const Platform& candidate) const
{
    if (!os.empty() && os != candidate.os) {
        return false;
    }
    if (!architecture.empty() && architecture != candidate.architecture) {
        return false;
    }
    if (!variant.empty() && effective_variant(*this) != effective_variant(candidate)) {
        return false;
    }
    if (!os_version.empty() && !version_prefix_matches(os_version, candidate.os_version)) {
        return false;
    }
    return true;
}

Platform host_platform()
{
    Platform p;
    p.os = "linux";
#if defined(__x86_64__)
    p.architecture = "amd64";
#elif defined(__aarch64__)
    p.architecture = "arm64";
    p.variant = "v8";
#elif defined(__arm__)
    p.architecture = "arm";
    p.variant = "v7";
#elif defined(__i386__)
    p.architecture = "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    p.architecture = "ppc64le";
#elif defined(__s390x__)
    p.architecture = "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
    p.architecture = "riscv64";
#else
    p.architecture = "unknown";
#endif
    return p;
}

} // namespace airlock::manifest

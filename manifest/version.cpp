// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/version.hpp>

#include <algorithm>
#include <vector>

namespace airlock::manifest {

namespace {

std::vector<std::string_view> split_version(std::string_view v)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= v.size(); ++i) {
        if (i == v.size() || v[i] == '.' || v[i] == '-' || v[i] == '+' || v[i] == '_') {
            parts.push_back(v.substr(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

bool is_number(std::string_view s)
{
    return !s.empty()
           && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int compare_numbers(std::string_view a, std::string_view b)
{
    a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
    b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
    if (a.size() != b.size()) {
        return a.size() < b.size() ? -1 : 1;
    }
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

} // namespace

int compare_versions(std::string_view a, std::string_view b)
{
    const auto pa = split_version(a);
    const auto pb = split_version(b);
    for (std::size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) {
        int c = 0;
        if (is_number(pa[i]) && is_number(pb[i])) {
            c = compare_numbers(pa[i], pb[i]);
        } else if (is_number(pa[i]) != is_number(pb[i])) {
            c = is_number(pa[i]) ? 1 : -1; // 1.0.1 is newer than 1.0.rc1
        } else {
            const int raw = pa[i].compare(pb[i]);
            c = raw < 0 ? -1 : (raw > 0 ? 1 : 0);
        }
        if (c != 0) {
            return c;
        }
    }
    if (pa.size() == pb.size()) {
        return 0;
    }
    return pa.size() < pb.size() ? -1 : 1;
}

std::string image_version(const ImageManifest& manifest, const ImageConfig& config)
{
    if (config.platform.os == "windows" && !config.platform.os_version.empty()) {
        return config.platform.os_version;
    }
    if (const auto it = manifest.annotations.find(std::string(k_annotation_version));
        it != manifest.annotations.end()) {
        return it->second;
    }
    if (const auto it = config.labels.find(std::string(k_annotation_version));
        it != config.labels.end()) {
        return it->second;
    }
    return {};
}

std::string agreed_version(std::string_view index_version,
                           const std::vector<std::string>& platform_versions)
{
    if (!index_version.empty()) {
        return std::string(index_version);
    }
    if (platform_versions.empty()) {
        return {};
    }
    for (const auto& v : platform_versions) {
        if (v != platform_versions.front()) {
            return {};
        }
    }
    return platform_versions.front();
}

} // namespace airlock::manifest

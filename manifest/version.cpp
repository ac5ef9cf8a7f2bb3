// SPDX-License-Identifier: Apache-2.0
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

} // namespace airlock::manifest

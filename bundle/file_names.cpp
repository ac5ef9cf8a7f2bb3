// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/ownership.hpp>
#include <airlock/bundle/file_names.hpp>

#include <algorithm>
#include <array>
#include <cstdio>

namespace airlock::bundle {

namespace fs = std::filesystem;

fs::path parts_file_path(const fs::path& bundle)
{
    return bundle.string() + ".parts.json";
}

fs::path part_path(const fs::path& bundle, std::size_t number)
{
    static_assert(k_part_number_digits == 3, "the format below writes three digits");
    std::array<char, 16> suffix{};
    std::snprintf(suffix.data(), suffix.size(), ".%03zu", number);
    return bundle.string() + suffix.data();
}

std::string part_bundle_name(std::string_view name)
{
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || name.size() - dot != 1 + k_part_number_digits) {
        return {};
    }
    const std::string_view digits = name.substr(dot + 1);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return {};
    }
    return std::string(name.substr(0, dot));
}

fs::path cosignature_path(const fs::path& bundle)
{
    return fs::path(bundle.string() + ".cosign.json");
}

bool is_pack_temporary(std::string_view name, const std::string& bundle)
{
    for (const std::string& final_name :
         {bundle, bundle + ".parts.json", bundle + ".cosign.json"}) {
        if (is_temporary_name(name, final_name)) {
            return true;
        }
    }
    // `.OUT.NNN.` and more: a part's temporary name.
    const std::size_t part_name = bundle.size() + 1 + k_part_number_digits;
    if (name.size() <= 1 + part_name) {
        return false;
    }
    const std::string_view part = name.substr(1, part_name);
    return part_bundle_name(part) == bundle && is_temporary_name(name, part);
}

} // namespace airlock::bundle

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

std::size_t part_number_digits(std::uint64_t parts)
{
    std::size_t digits = 1;
    for (std::uint64_t limit = 10; limit <= parts && digits < 20; limit *= 10) {
        ++digits;
    }
    return std::max(digits, k_part_number_digits);
}

fs::path part_path(const fs::path& bundle, std::size_t number, std::size_t digits)
{
    std::array<char, 32> suffix{};
    std::snprintf(suffix.data(), suffix.size(), ".%0*zu", static_cast<int>(digits), number);
    return bundle.string() + suffix.data();
}

std::string part_bundle_name(std::string_view name)
{
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos || name.size() - dot < 1 + k_part_number_digits
        || name.size() - dot > 1 + k_max_part_number_digits) {
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
    const std::string prefix = "." + bundle + ".";
    if (!name.starts_with(prefix)) {
        return false;
    }
    const std::size_t digits_end = name.find_first_not_of("0123456789", prefix.size());
    if (digits_end == std::string_view::npos) {
        return false;
    }
    const std::string_view part = name.substr(1, digits_end - 1);
    return part_bundle_name(part) == bundle && is_temporary_name(name, part);
}

} // namespace airlock::bundle

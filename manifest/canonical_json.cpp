// SPDX-License-Identifier: Apache-2.0
#include <airlock/manifest/canonical_json.hpp>

namespace airlock::manifest {

namespace {

bool has_float(const nlohmann::json& value)
{
    if (value.is_number_float()) {
        return true;
    }
    if (value.is_structured()) {
        for (const auto& item : value) {
            if (has_float(item)) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

Result<std::string> canonical_dump(const nlohmann::json& value)
{
    if (has_float(value)) {
        return fail(Errc::format,
                    "canonical JSON allows integers only, found a floating-point number");
    }
    // nlohmann::json objects are std::maps: keys already come out sorted by byte value.
    try {
        return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    } catch (const nlohmann::json::type_error& e) {
        return fail(Errc::format, std::string("cannot encode canonical JSON: ") + e.what());
    }
}

} // namespace airlock::manifest

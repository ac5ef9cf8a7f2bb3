// SPDX-License-Identifier: Apache-2.0
#pragma once

// What Docker Engine's GET /images/json and `podman images --format json` say of an image's
// age and version, the same way for both: "Created" in seconds, the version label.

#include <airlock/manifest/image.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace airlock::unpack {

struct ListedAge
{
    std::optional<std::int64_t> created;
    std::string version;
};

inline ListedAge listed_age(const nlohmann::json& image)
{
    ListedAge age;
    if (image.contains("Created") && image["Created"].is_number_integer()) {
        age.created = image["Created"].get<std::int64_t>();
    }
    if (const auto labels = image.find("Labels"); labels != image.end() && labels->is_object()) {
        const auto v = labels->find(manifest::k_annotation_version);
        if (v != labels->end() && v->is_string()) {
            age.version = v->get<std::string>();
        }
    }
    return age;
}

} // namespace airlock::unpack

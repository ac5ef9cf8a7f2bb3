// SPDX-License-Identifier: Apache-2.0
#include "json_shapes.hpp"

namespace airlock::cli {

nlohmann::json error_json(const Error& error)
{
    return {
        {"class", errc_name(error.code)}, {"message", error.message}, {"context", error.context}};
}

nlohmann::json failure_json(const Error& error, int exit_code)
{
    return {{"ok", false}, {"error", error_json(error)}, {"exitCode", exit_code}};
}

nlohmann::json image_json(const manifest::BundleImage& image)
{
    return {{"name", image.name},
            {"tags", image.tags},
            {"digest", image.digest.str()},
            {"mediaType", image.media_type},
            {"platforms", image.platforms},
            {"version", image.version},
            {"created", image.created},
            {"size", image.total_size},
            {"source", image.source}};
}

nlohmann::json images_json(const std::vector<manifest::BundleImage>& images)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& image : images) {
        out.push_back(image_json(image));
    }
    return out;
}

nlohmann::json signers_json(const std::vector<std::string>& key_ids)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& id : key_ids) {
        out.push_back({{"keyId", id}});
    }
    return out;
}

} // namespace airlock::cli

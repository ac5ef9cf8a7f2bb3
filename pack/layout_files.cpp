// SPDX-License-Identifier: Apache-2.0
#include "layout_files.hpp"

#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>

#include <nlohmann/json.hpp>

namespace airlock::pack {

using nlohmann::json;

Result<std::vector<bundle::LayoutFileContent>>
make_layout_files(const std::vector<PlannedImage>& images)
{
    json index_entries = json::array();
    json docker_entries = json::array();
    for (const auto& planned : images) {
        const auto& image = planned.image;
        json repo_tags = json::array();
        for (const auto& tag : image.tags) {
            const std::string full = image.name + ":" + tag;
            index_entries.push_back(
                manifest::descriptor_to_json(manifest::tagged_descriptor(image, full)));
            repo_tags.push_back(full);
        }
        if (planned.single) {
            json layers = json::array();
            for (const auto& layer : planned.single->layers) {
                layers.push_back(layer.digest.layout_path());
            }
            docker_entries.push_back({{"Config", planned.single->config.digest.layout_path()},
                                      {"RepoTags", repo_tags},
                                      {"Layers", layers}});
        }
    }
    const json index = {{"schemaVersion", 2},
                        {"mediaType", manifest::media_type::oci_index},
                        {"manifests", index_entries}};
    AIRLOCK_TRY_ASSIGN(std::string index_text, manifest::canonical_dump(index));
    AIRLOCK_TRY_ASSIGN(std::string docker_text, manifest::canonical_dump(docker_entries));
    std::vector<bundle::LayoutFileContent> files;
    files.push_back({"oci-layout", std::string(manifest::k_oci_layout_text)});
    files.push_back({"index.json", std::move(index_text)});
    files.push_back({"manifest.json", std::move(docker_text)});
    return files;
}

} // namespace airlock::pack

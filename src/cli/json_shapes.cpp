// SPDX-License-Identifier: Apache-2.0
#include "json_shapes.hpp"

#include <map>
#include <string>
#include <utility>

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

namespace {

// How inspect names an attachment: its sigstore kind (by tag), or a referrer.
std::string attachment_kind(const manifest::ImageAttachment& attachment)
{
    if (attachment.tag.ends_with(".sig")) {
        return "sigstore-signature";
    }
    if (attachment.tag.ends_with(".att")) {
        return "sigstore-attestation";
    }
    if (attachment.tag.ends_with(".sbom")) {
        return "sigstore-sbom";
    }
    return "referrer";
}

} // namespace

nlohmann::json image_json(const manifest::BundleImage& image)
{
    nlohmann::json out = {{"name", image.name},
                          {"tags", image.tags},
                          {"digest", image.digest.str()},
                          {"mediaType", image.media_type},
                          {"platforms", image.platforms},
                          {"version", image.version},
                          {"created", image.created},
                          {"size", image.total_size},
                          {"source", image.source}};
    if (!image.signatures.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& sig : image.signatures) {
            list.push_back({{"kind", "simple-signing"},
                            {"manifest", sig.manifest.str()},
                            {"digest", sig.digest.str()},
                            {"size", sig.size}});
        }
        out["signatures"] = std::move(list);
    }
    if (!image.attachments.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& a : image.attachments) {
            nlohmann::json item = manifest::attachment_to_json(a);
            item["kind"] = attachment_kind(a);
            list.push_back(std::move(item));
        }
        out["attachments"] = std::move(list);
    }
    if (!image.verified_by.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& check : image.verified_by) {
            list.push_back(nlohmann::json{{"manifest", check.manifest.str()}, {"key", check.key}});
        }
        out["verifiedBy"] = std::move(list);
    }
    return out;
}

nlohmann::json images_json(const std::vector<manifest::BundleImage>& images)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& image : images) {
        out.push_back(image_json(image));
    }
    return out;
}

nlohmann::json store_images_json(const std::vector<unpack::StoreImage>& images)
{
    nlohmann::json list = nlohmann::json::array();
    // Each image's entry by name and digest: a catalog's store lists tens of thousands.
    std::map<std::pair<std::string, std::string>, std::size_t> entries;
    for (const auto& i : images) {
        const auto [found, added] =
            entries.emplace(std::pair(i.repository, i.digest.str()), list.size());
        if (!added) {
            list[found->second]["tags"].push_back(i.tag);
            continue;
        }
        list.push_back({{"name", i.repository},
                        {"tags", {i.tag}},
                        {"digest", i.digest.str()},
                        {"mediaType", i.media_type},
                        {"platforms", i.platforms},
                        {"version", i.version},
                        {"created", i.created},
                        {"size", i.size}});
    }
    return list;
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

// SPDX-License-Identifier: Apache-2.0
#include "image_facts.hpp"

#include <airlock/base/time.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>

#include <map>

namespace airlock::unpack {

Result<ImageFacts>
stored_image_facts(const std::string& bytes, const std::string& type, const StoredDocument& read)
{
    std::map<manifest::Digest, std::optional<std::string>> seen;
    const StoredDocument once =
        [&](const manifest::Descriptor& d) -> Result<std::optional<std::string>> {
        if (const auto it = seen.find(d.digest); it != seen.end()) {
            return it->second;
        }
        AIRLOCK_TRY_ASSIGN(std::optional<std::string> document, read(d));
        return seen.emplace(d.digest, std::move(document)).first->second;
    };
    ImageFacts facts;
    const auto add_manifest = [&](const std::string& m_bytes,
                                  const std::string& m_type) -> Result<> {
        AIRLOCK_TRY_ASSIGN(const manifest::ImageManifest m,
                           manifest::parse_image_manifest(m_bytes, m_type));
        AIRLOCK_TRY_ASSIGN(const std::optional<std::string> config, once(m.config));
        if (config) {
            AIRLOCK_TRY_ASSIGN(const manifest::ImageConfig c,
                               manifest::parse_image_config(*config));
            const auto created = parse_rfc3339(c.created);
            if (created && (!facts.created || *created > *facts.created)) {
                facts.created = created;
            }
        }
        return {};
    };
    if (manifest::media_type::is_index(type)) {
        AIRLOCK_TRY_ASSIGN(const manifest::ImageIndex index,
                           manifest::parse_image_index(bytes, type));
        for (const auto& child : index.manifests) {
            if (!manifest::media_type::is_manifest(child.media_type)) {
                continue; // nested indexes carry no config of their own
            }
            AIRLOCK_TRY_ASSIGN(const std::optional<std::string> child_bytes, once(child));
            if (child_bytes) {
                AIRLOCK_TRY(add_manifest(*child_bytes, child.media_type));
            }
        }
    } else {
        AIRLOCK_TRY(add_manifest(bytes, type));
    }
    auto version = stored_image_version(bytes, type, once);
    if (version) {
        facts.version = std::move(*version);
    } else if (version.error().code != Errc::not_found) {
        return std::unexpected(std::move(version.error()));
    }
    return facts;
}

} // namespace airlock::unpack

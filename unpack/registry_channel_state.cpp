// SPDX-License-Identifier: Apache-2.0
//
// A channel record in a registry is a small OCI artifact, so that any registry that stores
// images stores it, and so that tools that list repositories show what it is:
//
//   PREFIX/airlock-state:channel-NAME  ->  {"schemaVersion":2,
//       "mediaType":"application/vnd.oci.image.manifest.v1+json",
//       "artifactType":"application/vnd.airlock.channel.v1+json",
//       "config":{"mediaType":"application/vnd.airlock.channel.v1+json","digest":..,"size":..},
//       "layers":[]}
//   config blob: {"bundle":"sha256:..","channel":"NAME","imported":"..","sequence":N}
//
// The record is read before an import and rewritten after a successful one. The config names
// its channel, so a record copied to another channel's tag is refused.

#include "registry_channel_state.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/canonical_json.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>

#include <algorithm>

namespace airlock::unpack {

using nlohmann::json;

namespace {

constexpr std::uint64_t k_max_record = 64U << 10U;

bool network_class(Errc code)
{
    return code == Errc::network || code == Errc::http_status || code == Errc::auth
           || code == Errc::cancelled;
}

} // namespace

std::string channel_state_repository(const std::string& prefix)
{
    return prefix.empty() ? "airlock-state" : prefix + "/airlock-state";
}

std::string channel_record_tag(const std::string& channel)
{
    const bool tag_safe = !channel.empty() && channel.size() <= 100
                          && std::all_of(channel.begin(), channel.end(), [](unsigned char c) {
                                 return std::isalnum(c) != 0 || c == '_' || c == '.' || c == '-';
                             });
    return tag_safe ? "channel-" + channel
                    : "channel-sha256-" + crypto::sha256_hex(channel).substr(0, 40);
}

namespace {

// Why a channel record that exists cannot be trusted: Errc::policy, failing closed, with how
// to repair it.
Error unusable_record(const std::string& where, const std::string& channel, const std::string& why)
{
    return Error{Errc::policy,
                 str_cat("the channel record ",
                         where,
                         " cannot be used (",
                         why,
                         "); channel bundles are refused until it is repaired: restore the "
                         "tag, or delete it deliberately to reset channel '",
                         channel,
                         "' for every machine importing into this registry (or import with "
                         "--channel-state local)"),
                 {}};
}

// The digest of the record's config, from the artifact manifest `bytes`; empty when the
// manifest is not a channel record.
std::optional<manifest::Digest> record_config_digest(const std::string& bytes,
                                                     const std::string& where)
{
    auto doc = manifest::parse_bounded_json(bytes, where);
    if (!doc || !doc->is_object() || doc->value("artifactType", "") != k_channel_record_type) {
        return std::nullopt;
    }
    const auto config = doc->find("config");
    if (config == doc->end() || !config->is_object()
        || config->value("mediaType", "") != k_channel_record_type) {
        return std::nullopt;
    }
    auto digest = manifest::Digest::parse(config->value("digest", ""));
    return digest ? std::optional<manifest::Digest>(std::move(*digest)) : std::nullopt;
}

} // namespace

Result<std::optional<ChannelMark>> RegistryChannelState::read(const std::string& channel)
{
    const std::string tag = channel_record_tag(channel);
    const std::string where = str_cat(m_client->host(), "/", m_repository, ":", tag);
    const auto unusable = [&](const std::string& why) {
        return std::unexpected(unusable_record(where, channel, why));
    };
    auto fetched = m_client->get_manifest(m_http, m_repository, tag);
    if (!fetched) {
        if (fetched.error().code == Errc::not_found) {
            return std::nullopt;
        }
        if (network_class(fetched.error().code)) {
            return std::unexpected(std::move(fetched.error())
                                       .with_context("while reading the channel record " + where));
        }
        return unusable(fetched.error().message);
    }
    const auto digest = record_config_digest(fetched->bytes, where);
    if (!digest) {
        return unusable(str_cat("its manifest is not an artifact of type ",
                                k_channel_record_type,
                                " with a config of that type and a valid digest"));
    }
    AIRLOCK_TRY_ASSIGN(const std::string bytes, read_record_config(*digest, where, channel));
    auto record = manifest::parse_bounded_json(bytes, where);
    if (!record || !record->is_object()) {
        return unusable("its config is not a JSON object");
    }
    if (record->value("channel", "") != channel) {
        return unusable(
            str_cat("it is the record of another channel, '", record->value("channel", ""), "'"));
    }
    auto mark = parse_channel_mark(*record, "the record");
    if (!mark) {
        return unusable(mark.error().message);
    }
    return std::optional<ChannelMark>(std::move(*mark));
}

Result<std::string> RegistryChannelState::read_record_config(const manifest::Digest& digest,
                                                             const std::string& where,
                                                             const std::string& channel)
{
    std::string bytes;
    const http::BodySink sink = [&](const http::Response&,
                                    std::span<const char> chunk) -> Result<> {
        if (bytes.size() + chunk.size() > k_max_record) {
            return fail(Errc::format, "the record is larger than 64 KiB");
        }
        bytes.append(chunk.data(), chunk.size());
        return {};
    };
    auto response = m_client->get_blob(m_http, m_repository, digest, std::nullopt, sink);
    if (!response) {
        if (network_class(response.error().code)) {
            return std::unexpected(std::move(response.error())
                                       .with_context("while reading the channel record " + where));
        }
        return std::unexpected(unusable_record(where, channel, response.error().message));
    }
    if (response->status != 200) {
        return std::unexpected(unusable_record(
            where,
            channel,
            str_cat("its config blob ", digest.str(), " answered ", response->status)));
    }
    if ("sha256:" + crypto::sha256_hex(bytes) != digest.str()) {
        return std::unexpected(unusable_record(
            where, channel, str_cat("its config blob does not hash to ", digest.str())));
    }
    return bytes;
}

Result<> RegistryChannelState::write(const std::string& channel, const ChannelMark& mark)
{
    json record = channel_mark_json(mark);
    record["channel"] = channel;
    AIRLOCK_TRY_ASSIGN(const std::string config, manifest::canonical_dump(record));
    const auto digest = manifest::Digest::sha256(crypto::sha256_hex(config));
    AIRLOCK_TRY_ASSIGN(const bool present, m_client->blob_exists(m_http, m_repository, digest));
    if (!present) {
        std::size_t offset = 0;
        const auto source = [&](std::span<char> buffer) -> Result<std::size_t> {
            const std::size_t n = std::min(buffer.size(), config.size() - offset);
            std::copy_n(config.data() + offset, n, buffer.data());
            offset += n;
            return n;
        };
        AIRLOCK_TRY(m_client->upload_blob(
            m_http, m_repository, digest, config.size(), source, k_max_record));
    }
    const json manifest_doc = {
        {"schemaVersion", 2},
        {"mediaType", manifest::media_type::oci_manifest},
        {"artifactType", k_channel_record_type},
        {"config",
         {{"mediaType", k_channel_record_type}, {"digest", digest.str()}, {"size", config.size()}}},
        {"layers", json::array()},
    };
    AIRLOCK_TRY_ASSIGN(const std::string bytes, manifest::canonical_dump(manifest_doc));
    AIRLOCK_TRY(m_client->put_manifest(m_http,
                                       m_repository,
                                       channel_record_tag(channel),
                                       std::string(manifest::media_type::oci_manifest),
                                       bytes));
    return {};
}

} // namespace airlock::unpack

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "channel_state.hpp"

#include <airlock/http/client.hpp>
#include <airlock/registry/client.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace airlock::unpack {

// The artifact type (and config media type) of a channel record kept in a registry.
inline constexpr std::string_view k_channel_record_type = "application/vnd.airlock.channel.v1+json";

// The reserved repository of a registry store's channel records: PREFIX/airlock-state.
std::string channel_state_repository(const std::string& prefix);

// The tag of `channel`'s record: channel-NAME, or channel-sha256-HEX (the first 40 hex digits
// of the name's SHA-256) for a name that cannot be a tag.
std::string channel_record_tag(const std::string& channel);

// Channel marks kept in the registry itself, so that every machine importing into it sees the
// same mark: per channel, an OCI artifact in `repository` tagged channel_record_tag(NAME), an
// image manifest of artifactType k_channel_record_type whose config blob is the mark as JSON
// {"bundle","channel","imported","sequence"} and whose layers are empty. A missing tag is no
// record yet; anything else that is not such a record is Errc::policy (fail closed); network
// and auth failures keep their class.
class RegistryChannelState final : public ChannelState
{
  public:
    RegistryChannelState(std::shared_ptr<registry::RegistryClient> client, std::string repository)
        : m_client(std::move(client))
        , m_repository(std::move(repository))
    {
    }

    Result<std::optional<ChannelMark>> read(const std::string& channel) override;
    Result<> write(const std::string& channel, const ChannelMark& mark) override;

  private:
    // The record's config blob `digest`, at most 64 KiB, checked against its digest; a record
    // that cannot be used is Errc::policy, a network failure Errc::network.
    Result<std::string> read_record_config(const manifest::Digest& digest,
                                           const std::string& where,
                                           const std::string& channel);

    std::shared_ptr<registry::RegistryClient> m_client;
    std::string m_repository;
    http::Client m_http;
};

} // namespace airlock::unpack

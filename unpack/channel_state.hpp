// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace airlock::unpack {

// What a store remembers of one release channel: the highest sequence imported and the SHA-256
// of that bundle's bundle.json, so that a replayed older bundle (rollback) or a different
// bundle with the same sequence (freeze / equivocation) is refused.
struct ChannelMark
{
    std::uint64_t sequence = 0;
    std::string bundle;   // "sha256:<hex>" of the bundle.json imported at `sequence`
    std::string imported; // RFC 3339 time of that import
};

// Where a store's channel marks are kept. Implementations fail closed: a record that exists but
// cannot be read, or is malformed, is Errc::policy naming it and how to repair it, never "no
// record", which would let any old bundle in.
class ChannelState
{
  public:
    ChannelState() = default;
    ChannelState(const ChannelState&) = delete;
    ChannelState& operator=(const ChannelState&) = delete;
    ChannelState(ChannelState&&) = delete;
    ChannelState& operator=(ChannelState&&) = delete;
    virtual ~ChannelState() = default;

    // The mark of `channel`; nothing when none was recorded yet.
    virtual Result<std::optional<ChannelMark>> read(const std::string& channel) = 0;

    // Records `mark` for `channel`, keeping every other channel's mark.
    virtual Result<> write(const std::string& channel, const ChannelMark& mark) = 0;
};

// A JSON file of every channel's mark, {"NAME": {"sequence": N, "bundle": "sha256:...",
// "imported": "..."}}: `DIR/.airlock/channels.json` of an OCI store, or one file per store in
// airlock's state directory. Read without following a symlink, at most 4 MiB, and checked
// whole: anything but a missing file or a well-formed ledger is Errc::policy. Written
// atomically. Callers serialise read-modify-write with a lock (the store lock).
class ChannelLedgerFile final : public ChannelState
{
  public:
    explicit ChannelLedgerFile(std::filesystem::path file)
        : m_file(std::move(file))
    {
    }

    Result<std::optional<ChannelMark>> read(const std::string& channel) override;
    Result<> write(const std::string& channel, const ChannelMark& mark) override;

  private:
    std::filesystem::path m_file;
};

// A ledger file as one JSON object, channel name -> mark, each mark checked; an empty object
// when the file does not exist. Errc::policy when it cannot be used.
Result<nlohmann::json> load_channel_ledger(const std::filesystem::path& file);

// Checks a channel mark read from a record as JSON (`entry`); `what` names the record in the
// error. Errc::policy when it is not {"sequence": unsigned, "bundle": "sha256:<64 hex>",
// "imported"?: string}.
Result<ChannelMark> parse_channel_mark(const nlohmann::json& entry, const std::string& what);

// The JSON form of `mark`.
nlohmann::json channel_mark_json(const ChannelMark& mark);

// The rollback check and the record of one import, across every place that keeps its store's
// marks. Does nothing for a bundle without channel and sequence.
class ChannelGuard
{
  public:
    ChannelGuard(const manifest::BundleManifest& bundle,
                 std::string bundle_digest,
                 bool allow_downgrade)
        : m_bundle(bundle)
        , m_bundle_digest(std::move(bundle_digest))
        , m_allow_downgrade(allow_downgrade)
    {
    }

    // Adds a place the marks are read from and written to.
    void add(std::unique_ptr<ChannelState> state)
    {
        m_states.push_back(std::move(state));
    }

    // True when the bundle names a channel and a sequence.
    bool applies() const;

    // Reads the mark from every place (failing closed) and refuses a lower sequence, or a
    // different bundle with the same sequence, with Errc::policy unless `allow_downgrade`.
    Result<> check();

    // Raises the mark in every place to this bundle; a forced downgrade never lowers it. Once
    // it succeeded, later calls do nothing (a store may record early, at its commit point).
    Result<> record();

  private:
    const manifest::BundleManifest& m_bundle;
    std::string m_bundle_digest;
    bool m_allow_downgrade = false;
    bool m_recorded = false;
    std::vector<std::unique_ptr<ChannelState>> m_states;
};

} // namespace airlock::unpack

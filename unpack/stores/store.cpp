// SPDX-License-Identifier: Apache-2.0
#include "store.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>

namespace airlock::unpack {

Result<> Store::add_channel_states(ChannelGuard& channel, Reporter& reporter, bool for_preview)
{
    if (!channel.applies()) {
        return {};
    }
    if (for_preview) {
        channel.add(std::make_unique<ChannelLedgerFile>(local_ledger_path(*this)));
        return {};
    }
    // Locked from the check to the record: two imports of one channel cannot both pass.
    const std::filesystem::path file = local_ledger_path(*this);
    AIRLOCK_TRY(make_directories(file.parent_path()));
    AIRLOCK_TRY_ASSIGN(FileLock lock,
                       FileLock::acquire(std::filesystem::path(file.string() + ".lock"),
                                         &reporter,
                                         "another import of this channel"));
    m_ledger_lock.emplace(std::move(lock));
    channel.add(std::make_unique<ChannelLedgerFile>(file));
    return {};
}

std::filesystem::path local_ledger_path(const Store& store)
{
    std::string name;
    for (const char c : store.ledger_name()) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                           || (c >= '0' && c <= '9') || c == '.' || c == '-';
        name.push_back(plain ? c : '_');
    }
    return data_dir() / "state" / "channels" / (name + ".json");
}

Result<std::size_t> Store::keep_signatures(const std::vector<CarriedSignature>& signatures,
                                           Reporter& reporter)
{
    if (!signatures.empty()) {
        reporter.warn(str_cat(name(),
                              " keeps no image signatures: the bundle's ",
                              signatures.size(),
                              " vendor signature(s) were not written (import into a registry or "
                              "an OCI store to keep them)"));
    }
    return std::size_t{0};
}

Result<std::size_t> Store::keep_attachments(const std::vector<CarriedAttachment>& attachments,
                                            Reporter& reporter)
{
    if (!attachments.empty()) {
        reporter.warn(str_cat(name(),
                              " keeps no attached artifacts: the bundle's ",
                              attachments.size(),
                              " sigstore signature(s), attestation(s), SBOM(s) and referrer(s) "
                              "were not added (import into a registry or an OCI store to keep "
                              "them)"));
    }
    return std::size_t{0};
}

Result<std::string> Store::read_document(const manifest::Digest& digest) const
{
    return fail(Errc::not_found, str_cat("document ", digest.str(), " is not in the bundle"));
}

} // namespace airlock::unpack

// SPDX-License-Identifier: Apache-2.0
#include "channel_state.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/manifest/image.hpp>

namespace airlock::unpack {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::uint64_t k_max_ledger = 4ULL << 20U;

// The refusal for a ledger that exists but cannot be trusted: it says what to do, because the
// only safe default (refusing every channel bundle) blocks the site until someone acts.
Error unusable_ledger(const fs::path& file, const std::string& why)
{
    return Error{Errc::policy,
                 str_cat("the channel ledger ",
                         file.string(),
                         " cannot be used (",
                         why,
                         "); channel bundles are refused until it is repaired: restore it from "
                         "a backup, or remove it deliberately to reset the marks of every "
                         "channel of this store"),
                 {}};
}

bool is_sha256_digest(const std::string& text)
{
    return text.size() == 7 + 64 && text.starts_with("sha256:")
           && text.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
}

} // namespace

Result<ChannelMark> parse_channel_mark(const json& entry, const std::string& what)
{
    if (!entry.is_object()) {
        return fail(Errc::policy, str_cat(what, " is not an object"));
    }
    const auto sequence = entry.find("sequence");
    const auto bundle = entry.find("bundle");
    const auto imported = entry.find("imported");
    if (sequence == entry.end() || !sequence->is_number_unsigned()) {
        return fail(Errc::policy, str_cat(what, " has no unsigned integer 'sequence'"));
    }
    if (bundle == entry.end() || !bundle->is_string()
        || !is_sha256_digest(bundle->get<std::string>())) {
        return fail(Errc::policy, str_cat(what, " has no 'bundle' digest (sha256:<hex>)"));
    }
    if (imported != entry.end() && !imported->is_string()) {
        return fail(Errc::policy, str_cat(what, " has an 'imported' that is not a string"));
    }
    return ChannelMark{sequence->get<std::uint64_t>(),
                       bundle->get<std::string>(),
                       imported == entry.end() ? std::string() : imported->get<std::string>()};
}

json channel_mark_json(const ChannelMark& mark)
{
    return {{"sequence", mark.sequence}, {"bundle", mark.bundle}, {"imported", mark.imported}};
}

Result<json> load_channel_ledger(const fs::path& file)
{
    auto text = read_file(file, k_max_ledger, FollowSymlinks::no);
    if (!text) {
        if (text.error().code == Errc::not_found) {
            return json::object();
        }
        return std::unexpected(unusable_ledger(file, text.error().message));
    }
    auto doc = manifest::parse_bounded_json(*text, file.string());
    if (!doc) {
        return std::unexpected(unusable_ledger(file, doc.error().message));
    }
    if (!doc->is_object()) {
        return std::unexpected(unusable_ledger(file, "not a JSON object"));
    }
    for (const auto& [name, entry] : doc->items()) {
        if (auto mark = parse_channel_mark(entry, str_cat("channel '", name, "'")); !mark) {
            return std::unexpected(unusable_ledger(file, mark.error().message));
        }
    }
    return doc;
}

Result<std::optional<ChannelMark>> ChannelLedgerFile::read(const std::string& channel)
{
    AIRLOCK_TRY_ASSIGN(const json doc, load_channel_ledger(m_file));
    const auto entry = doc.find(channel);
    if (entry == doc.end()) {
        return std::nullopt;
    }
    AIRLOCK_TRY_ASSIGN(ChannelMark mark, parse_channel_mark(*entry, "channel '" + channel + "'"));
    return mark;
}

Result<> ChannelLedgerFile::write(const std::string& channel, const ChannelMark& mark)
{
    // Read again and checked whole, so that a damaged ledger is never replaced by one that
    // knows only this channel.
    AIRLOCK_TRY_ASSIGN(json doc, load_channel_ledger(m_file));
    doc[channel] = channel_mark_json(mark);
    AIRLOCK_TRY(make_directories(m_file.parent_path()));
    return write_file_atomic(m_file, doc.dump(2) + "\n");
}

bool ChannelGuard::applies() const
{
    return !m_bundle.channel.empty() && m_bundle.sequence.has_value();
}

Result<> ChannelGuard::check()
{
    if (!applies()) {
        return {};
    }
    const std::uint64_t sequence = *m_bundle.sequence;
    for (const auto& state : m_states) {
        AIRLOCK_TRY_ASSIGN(const std::optional<ChannelMark> seen, state->read(m_bundle.channel));
        if (!seen || m_allow_downgrade) {
            continue; // read all the same: an unusable record refuses even a forced import
        }
        if (sequence < seen->sequence) {
            return fail(Errc::policy,
                        str_cat("channel '",
                                m_bundle.channel,
                                "' is at sequence ",
                                seen->sequence,
                                " in this store; this bundle is ",
                                sequence,
                                " (an older bundle: rollback refused; --allow-downgrade to "
                                "force)"));
        }
        if (sequence == seen->sequence && m_bundle_digest != seen->bundle) {
            return fail(Errc::policy,
                        str_cat("channel '",
                                m_bundle.channel,
                                "' sequence ",
                                seen->sequence,
                                " was imported from a different bundle (bundle.json ",
                                seen->bundle,
                                "); refused (--allow-downgrade to force)"));
        }
    }
    return {};
}

Result<> ChannelGuard::record()
{
    if (!applies() || m_recorded) {
        return {};
    }
    const ChannelMark mark{*m_bundle.sequence, m_bundle_digest, format_rfc3339_utc(now_seconds())};
    for (const auto& state : m_states) {
        AIRLOCK_TRY_ASSIGN(const std::optional<ChannelMark> seen, state->read(m_bundle.channel));
        if (seen && seen->sequence > mark.sequence) {
            continue; // a forced downgrade does not lower the mark
        }
        if (seen && seen->sequence == mark.sequence && seen->bundle == mark.bundle) {
            continue; // the same bundle again: the record stands
        }
        AIRLOCK_TRY(state->write(m_bundle.channel, mark));
    }
    m_recorded = true;
    return {};
}

} // namespace airlock::unpack

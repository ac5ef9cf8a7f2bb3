// SPDX-License-Identifier: Apache-2.0
//
// import: the one flow every store goes through (stores/store.hpp says what each step is).
// Trust and the site's policy come first, before the store is touched: the signature (before
// any blob is read), the bundle's expiry, its channel sequence, the Windows hosts' build. Then
// one streaming pass verifies every blob on its way into the store, each image's closure is
// checked, the content is published untagged, and tags come last, under the same rules for
// every store. The channel mark is recorded once the tags are in place (an OCI store records
// it earlier, under its lock, before anything becomes visible).

#include "bundle_policy.hpp"
#include "channel_state.hpp"
#include "image_closure.hpp"
#include "stores/store.hpp"
#include "tagging.hpp"

#include <airlock/base/host_system.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/unpack/import.hpp>
#include <airlock/unpack/import_log.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <map>
#include <optional>
#include <set>

namespace airlock::unpack {

namespace {

Result<> validate_tags(const std::vector<std::string>& tags)
{
    for (const auto& tag : tags) {
        if (!manifest::is_valid_tag(tag)) {
            return fail(Errc::usage, str_cat("invalid tag '", tag, "'"));
        }
    }
    return {};
}

// Feeds each blob to the document collector first, then to the store's sink (if any), so that
// the store sees every manifest whole before the blobs it names.
class TeeSink final : public bundle::BlobSink
{
  public:
    TeeSink(DocumentCollector& documents, bundle::BlobSink* store)
        : m_documents(documents)
        , m_store(store)
    {
    }

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        AIRLOCK_TRY(m_documents.begin(blob));
        // Vendors' signatures are not image content: the documents keep them for
        // Store::keep_signatures, which puts them where the store's signatures live.
        m_to_store = m_store != nullptr && blob.media_type != manifest::media_type::simple_signing;
        return m_to_store ? m_store->begin(blob) : Result<>{};
    }

    Result<> write(std::span<const char> data) override
    {
        AIRLOCK_TRY(m_documents.write(data));
        return m_to_store ? m_store->write(data) : Result<>{};
    }

    Result<> end(bool verified) override
    {
        AIRLOCK_TRY(m_documents.end(verified));
        return m_to_store ? m_store->end(verified) : Result<>{};
    }

  private:
    DocumentCollector& m_documents;
    bundle::BlobSink* m_store;
    bool m_to_store = false;
};

// The vendors' signatures the bundle carries, with their verified bytes.
std::vector<CarriedSignature> carried_signatures(const manifest::BundleManifest& bundle,
                                                 const Documents& documents)
{
    std::vector<CarriedSignature> out;
    for (std::size_t i = 0; i < bundle.images.size(); ++i) {
        for (const auto& sig : bundle.images[i].signatures) {
            if (const auto it = documents.find(sig.digest); it != documents.end()) {
                out.push_back({i, sig.manifest, it->second});
            }
        }
    }
    return out;
}

// The attached artifacts the bundle carries, image by image.
std::vector<CarriedAttachment> carried_attachments(const manifest::BundleManifest& bundle)
{
    std::vector<CarriedAttachment> out;
    for (std::size_t i = 0; i < bundle.images.size(); ++i) {
        for (const auto& attachment : bundle.images[i].attachments) {
            out.push_back({i, &attachment});
        }
    }
    return out;
}

// Checks the signature (unless skipped) and returns who signed.
Result<std::vector<std::string>> authenticate(const ImportOptions& options,
                                              bundle::BundleReader& reader,
                                              const bundle::TrustedKeys& trusted,
                                              Reporter& reporter)
{
    if (options.signature == SignaturePolicy::require) {
        AIRLOCK_TRY_ASSIGN(const bundle::SignatureCheck check,
                           reader.authenticate(trusted, options.required_signatures));
        return check.trusted_signers;
    }
    reporter.warn(
        str_cat("importing ", options.bundle.string(), " WITHOUT checking its signature"));
    AIRLOCK_TRY(reader.parse_unauthenticated());
    return std::vector<std::string>{};
}

// The site's policy, before anything is touched: expiry, the channel's sequence (in every
// place the store keeps it), the Windows hosts' build, what the store accepts.
Result<> check_policy(const ImportOptions& options,
                      const manifest::BundleManifest& bundle,
                      Store& store,
                      ChannelGuard& channel,
                      Reporter& reporter)
{
    AIRLOCK_TRY(check_expiry(bundle, now_seconds(), options.allow_expired));
    AIRLOCK_TRY(store.add_channel_states(channel, reporter, options.dry_run));
    AIRLOCK_TRY(channel.check());
    AIRLOCK_TRY(
        check_windows_hosts(bundle,
                            windows_host_build(options.host_os_version, host_windows_build()),
                            options.require_compatible,
                            reporter));
    if (bundle.required.empty()) {
        return {};
    }
    if (!store.accepts_differential()) {
        return fail(Errc::unsupported,
                    str_cat(options.bundle.string(),
                            " is a differential bundle (",
                            bundle.required.size(),
                            " layers left out); engines load whole images: import a full bundle, "
                            "or this one into "
                            "an oci: or docker:// store that holds the rest"));
    }
    // Checked blob by blob later; named here so the operator knows why an import may fail.
    reporter.info(str_cat(
        "differential bundle: needs ", bundle.required.size(), " blobs already in the store"));
    return {};
}

// Applies the tag plan of every image the store takes, through `tags` (the store itself, or
// a dry run's PlannedTags); `latest` only to the newest image of each repository in the bundle.
Result<std::vector<ImportedImage>> apply_tags_to_store(const ImportOptions& options,
                                                       const manifest::BundleManifest& bundle,
                                                       Store& store,
                                                       TagView& tags,
                                                       Reporter& reporter)
{
    std::vector<ImportedImage> out;
    const std::set<std::size_t> latest_candidates = newest_per_repository(bundle.images);
    for (std::size_t i = 0; i < bundle.images.size(); ++i) {
        const auto id = store.image_id(i);
        if (!id) {
            continue;
        }
        const auto& image = bundle.images[i];
        ImportedImage imported{store.image_name(i), image.digest, image.version, {}};
        const auto plan =
            plan_tags(image, options.extra_tags, latest_candidates.contains(i), options.latest);
        AIRLOCK_TRY_ASSIGN(imported.tags, apply_plan(tags, i, image, *id, plan));
        for (const auto& change : imported.tags) {
            if (change.action == TagChange::Action::kept) {
                reporter.warn(str_cat(imported.name, ": ", change.note));
            }
        }
        out.push_back(std::move(imported));
    }
    return out;
}

bool changes_a_tag(const std::vector<ImportedImage>& images)
{
    for (const auto& image : images) {
        for (const auto& change : image.tags) {
            if (change.action == TagChange::Action::added
                || change.action == TagChange::Action::moved) {
                return true;
            }
        }
    }
    return false;
}

// Every image's closure, against the bundle and what the store holds.
Result<> check_closures(const manifest::BundleManifest& bundle,
                        const Documents& documents,
                        const Store& store)
{
    const auto in_store = [&](const manifest::Digest& d) { return store.holds(d); };
    const auto from_store = [&](const manifest::Digest& d) { return store.read_document(d); };
    const BundleBlobs blobs(bundle);
    for (const auto& image : bundle.images) {
        AIRLOCK_TRY(check_image_closure(image, blobs, documents, in_store, from_store));
    }
    return {};
}

// The store's tags as a dry run's tag rules see them: read from the store, with the tags
// this import would set so far laid over them, and nothing set in the store.
class PlannedTags final : public TagView
{
  public:
    PlannedTags(Store& store, const manifest::BundleManifest& bundle)
        : m_store(store)
        , m_bundle(bundle)
    {
    }

    Result<std::optional<std::string>> tagged(std::size_t image, const std::string& tag) override
    {
        const auto planned = m_planned.find(key(image, tag));
        if (planned == m_planned.end()) {
            m_found.reset();
            return m_store.tagged(image, tag);
        }
        m_found = planned->second;
        return m_store.image_id(planned->second);
    }

    Result<std::string> tagged_version() override
    {
        return m_found ? m_bundle.images.at(*m_found).version : m_store.tagged_version();
    }

    Result<> set_tag(std::size_t image, const std::string& tag) override
    {
        m_planned[key(image, tag)] = image;
        return {};
    }

  private:
    std::string key(std::size_t image, const std::string& tag) const
    {
        return m_store.image_name(image) + ":" + tag;
    }

    Store& m_store;
    const manifest::BundleManifest& m_bundle;
    std::map<std::string, std::size_t> m_planned; // "name:tag" -> the image it would point at
    std::optional<std::size_t> m_found;           // the planned image the last `tagged` found
};

// --dry-run: every check of an import, the one streaming pass verifying every blob into
// nothing, the closure of every image against the store as it is, and each tag decided
// against the store's tags without setting one. The store is not written.
Result<> preview_into(const ImportOptions& options,
                      bundle::BundleReader& reader,
                      Store& store,
                      ChannelGuard& channel,
                      ImportSummary& summary,
                      Reporter& reporter)
{
    const auto& bundle = reader.header().manifest;
    AIRLOCK_TRY(store.prepare_preview(IncomingBundle{bundle, options.bundle}, channel, reporter));
    DocumentCollector documents;
    TeeSink sink(documents, nullptr);
    AIRLOCK_TRY(reader.read_contents(sink, bundle::OnMismatch::stop, reporter, "verify"));
    AIRLOCK_TRY_ASSIGN(const BlobCounts counts, store.preview(documents.documents()));
    AIRLOCK_TRY(check_closures(bundle, documents.documents(), store));
    PlannedTags tags(store, bundle);
    AIRLOCK_TRY_ASSIGN(summary.images, apply_tags_to_store(options, bundle, store, tags, reporter));
    summary.dry_run = true;
    summary.blobs_written = counts.written;
    summary.blobs_present = counts.present;
    summary.blobs_mounted = counts.mounted;
    summary.bytes_written = counts.bytes;
    summary.bytes_present = counts.bytes_present;
    summary.index_changed = changes_a_tag(summary.images);
    return {};
}

// From the store's first step to its last; on failure the caller has the store abandon.
Result<std::vector<ImportedImage>> import_into(const ImportOptions& options,
                                               bundle::BundleReader& reader,
                                               Store& store,
                                               ChannelGuard& channel,
                                               ImportSummary& summary,
                                               Reporter& reporter)
{
    const auto& bundle = reader.header().manifest;
    AIRLOCK_TRY(store.prepare(IncomingBundle{bundle, options.bundle}, channel, reporter));
    std::vector<ImportedImage> images;
    if (store.decides_tags_first()) {
        AIRLOCK_TRY_ASSIGN(images, apply_tags_to_store(options, bundle, store, store, reporter));
    }
    DocumentCollector documents;
    AIRLOCK_TRY_ASSIGN(bundle::BlobSink* const receiver, store.receiver(documents.documents()));
    TeeSink sink(documents, receiver);
    AIRLOCK_TRY(
        store.received(reader.read_contents(sink, bundle::OnMismatch::stop, reporter, "import")));
    AIRLOCK_TRY(store.ensure_required(documents.documents()));
    AIRLOCK_TRY(check_closures(bundle, documents.documents(), store));
    AIRLOCK_TRY(store.publish(documents.documents(), channel));
    if (!options.dry_run) {
        AIRLOCK_TRY_ASSIGN(
            summary.signatures_kept,
            store.keep_signatures(carried_signatures(bundle, documents.documents()), reporter));
        AIRLOCK_TRY_ASSIGN(summary.attachments_kept,
                           store.keep_attachments(carried_attachments(bundle), reporter));
    }
    if (!store.decides_tags_first()) {
        AIRLOCK_TRY_ASSIGN(images, apply_tags_to_store(options, bundle, store, store, reporter));
    }
    AIRLOCK_TRY(store.commit());
    return images;
}

// The directory of an OCI store spec (the default store included); nothing for other kinds.
std::optional<std::filesystem::path> oci_store_root(const std::string& spec)
{
    if (spec.empty()) {
        return default_store_path();
    }
    auto root = parse_store_spec(spec);
    return root ? std::optional<std::filesystem::path>(std::move(*root)) : std::nullopt;
}

ImportRecord import_record(const ImportOptions& options,
                           const bundle::BundleReader& reader,
                           const ImportSummary& summary)
{
    const auto& bundle = reader.header().manifest;
    ImportRecord record;
    record.time = format_rfc3339_utc(now_seconds());
    record.bundle = options.bundle.string();
    record.bundle_digest = "sha256:" + crypto::sha256_hex(reader.header().manifest_bytes);
    record.channel = bundle.channel;
    record.sequence = bundle.sequence;
    for (const auto& image : summary.images) {
        record.images.push_back(image.tags.empty() ? image.name
                                                   : image.name + ":" + image.tags.front().tag);
    }
    record.blobs_written = summary.blobs_written;
    record.bytes_written = summary.bytes_written;
    record.changed = summary.index_changed || summary.blobs_written > 0;
    return record;
}

} // namespace

const char* tag_action_name(TagChange::Action action)
{
    switch (action) {
    case TagChange::Action::added:
        return "added";
    case TagChange::Action::moved:
        return "moved";
    case TagChange::Action::unchanged:
        return "unchanged";
    case TagChange::Action::kept:
        return "kept";
    }
    return "unchanged";
}

Result<ImportSummary>
import_bundle(const ImportOptions& options, const bundle::TrustedKeys& trusted, Reporter& reporter)
{
    AIRLOCK_TRY(validate_tags(options.extra_tags));
    const auto root = oci_store_root(options.store);
    AIRLOCK_TRY_ASSIGN(const std::unique_ptr<Store> store,
                       open_store(options.store, options.store_options));
    AIRLOCK_TRY_ASSIGN(bundle::BundleReader reader,
                       bundle::BundleReader::open(options.bundle, options.parts_dirs));
    ImportSummary summary;
    summary.store = store->name();
    AIRLOCK_TRY_ASSIGN(summary.signers, authenticate(options, reader, trusted, reporter));
    const auto& bundle = reader.header().manifest;
    for (const auto& image : bundle.images) {
        summary.signatures += image.signatures.size();
        summary.attachments += image.attachments.size();
    }
    ChannelGuard channel(bundle,
                         "sha256:" + crypto::sha256_hex(reader.header().manifest_bytes),
                         options.allow_downgrade);
    AIRLOCK_TRY(check_policy(options, bundle, *store, channel, reporter));
    if (options.dry_run) {
        AIRLOCK_TRY(preview_into(options, reader, *store, channel, summary, reporter));
        return summary;
    }

    auto images = import_into(options, reader, *store, channel, summary, reporter);
    if (!images) {
        return std::unexpected(store->abandon(std::move(images.error())));
    }
    // The channel's mark is recorded at the store's commit point, and only on success.
    if (auto recorded = channel.record(); !recorded) {
        return std::unexpected(
            std::move(recorded.error())
                .with_context(str_cat("the images were imported and tagged, but channel '",
                                      bundle.channel,
                                      "' sequence ",
                                      bundle.sequence.value_or(0),
                                      " was not recorded; re-run the same import to record it")));
    }
    summary.images = std::move(*images);
    const BlobCounts counts = store->counts();
    summary.blobs_written = counts.written;
    summary.blobs_present = counts.present;
    summary.blobs_mounted = counts.mounted;
    summary.bytes_written = counts.bytes;
    summary.index_changed = changes_a_tag(summary.images) || counts.manifests_added;
    if (root) {
        // Still under the store's lock. The import is done: a log that cannot be written is
        // worth a warning, not a failure.
        auto logged = append_import_record(*root, import_record(options, reader, summary));
        if (!logged) {
            reporter.warn(str_cat("the import was not logged for 'airlock status': ",
                                  logged.error().message));
        } else if (*logged) {
            reporter.warn(**logged);
        }
    }
    return summary;
}

} // namespace airlock::unpack

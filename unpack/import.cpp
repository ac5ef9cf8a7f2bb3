// SPDX-License-Identifier: Apache-2.0
//
// import: the checks every store shares (signature, expiry, channel, Windows hosts), then the
// import into an OCI layout (oci:DIR); registry_import, engine_import and containerd_import
// take the other stores. For an OCI layout the order is what makes it safe:
//   1. read bundle.json + signatures.json and check the signature (nothing touched yet);
//   2. stream every blob into a private staging directory inside the store, hashing as it is
//      written; blobs the store already has are hashed and dropped, never rewritten;
//   3. check each image's closure (every manifest, config and layer present);
//   4. under the store lock: check the channel ledger again and record this bundle in it, rename
//      the staged blobs in, then replace index.json atomically.
// A failure before 4 removes the staging directory and leaves the store byte-for-byte as it was;
// blobs land before tags, so a crash inside 4 leaves unreferenced blobs, and a re-run finishes.
// What a killed import leaves in .airlock/ is reclaimed by the next one (see ownership.hpp).

#include "bundle_policy.hpp"
#include "channel_state.hpp"
#include "containerd_import.hpp"
#include "engine_import.hpp"
#include "image_closure.hpp"
#include "registry_import.hpp"
#include "store_identity.hpp"
#include "tagging.hpp"

#include <airlock/base/file.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/manifest/version.hpp>
#include <airlock/unpack/bundle_reader.hpp>
#include <airlock/unpack/import.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <map>
#include <optional>
#include <set>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

// Writes blobs the store lacks into the staging directory; collects documents on the way.
class StagingSink final : public DocumentCollector
{
  public:
    StagingSink(const OciStore& store, fs::path staging)
        : m_store(store)
        , m_staging(std::move(staging))
    {
    }

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        AIRLOCK_TRY(DocumentCollector::begin(blob));
        m_blob = blob;
        if (m_store.has_blob(blob.digest, blob.size)) {
            ++m_present;
            return {};
        }
        AIRLOCK_TRY_ASSIGN(SequentialFileWriter file,
                           SequentialFileWriter::create(m_staging / blob.digest.hex()));
        m_file.emplace(std::move(file));
        return {};
    }

    Result<> write(std::span<const char> data) override
    {
        AIRLOCK_TRY(DocumentCollector::write(data));
        if (m_file) {
            AIRLOCK_TRY(m_file->write(data));
            m_bytes += data.size();
        }
        return {};
    }

    Result<> end(bool verified) override
    {
        AIRLOCK_TRY(DocumentCollector::end(verified));
        if (!m_file) {
            return {};
        }
        if (verified) {
            AIRLOCK_TRY(m_file->sync_and_close());
        }
        m_file.reset();
        if (verified) {
            m_staged.push_back(m_blob);
        }
        return {};
    }

    const std::vector<manifest::BundleBlob>& staged() const
    {
        return m_staged;
    }

    std::uint64_t present() const
    {
        return m_present;
    }

    std::uint64_t bytes_written() const
    {
        return m_bytes;
    }

  private:
    const OciStore& m_store;
    fs::path m_staging;
    manifest::BundleBlob m_blob;
    std::optional<SequentialFileWriter> m_file;
    std::vector<manifest::BundleBlob> m_staged;
    std::uint64_t m_present = 0;
    std::uint64_t m_bytes = 0;
};

Result<> validate_tags(const std::vector<std::string>& tags)
{
    for (const auto& tag : tags) {
        if (!manifest::is_valid_tag(tag)) {
            return fail(Errc::usage, str_cat("invalid tag '", tag, "'"));
        }
    }
    return {};
}

// What existed before an import, so that a failed one removes only what it created.
struct StoreFootprint
{
    bool root = false;
    bool state = false;
};

// lstat-based: a symlink counts as there, so that clean-up never reaches through one.
StoreFootprint footprint(const OciStore& store)
{
    std::error_code ec;
    return {fs::exists(fs::symlink_status(store.root(), ec)),
            fs::exists(fs::symlink_status(store.root() / ".airlock", ec))};
}

// Undoes the directories that a failed import created (never anything another run made).
void remove_created(const OciStore& store, StoreFootprint before)
{
    std::error_code ec;
    if (!before.state && !store.exists()) {
        const fs::path state = store.root() / ".airlock";
        // Only when no other import is staging there: then it holds at most the lock file.
        bool others = false;
        for (const auto& entry : fs::directory_iterator(state, ec)) {
            others = others || entry.path().filename() != "lock";
        }
        if (!others) {
            fs::remove(state / "lock", ec);
            fs::remove(state, ec);
        }
    }
    if (!before.root) {
        fs::remove(store.root(), ec); // only succeeds when empty
    }
}

Result<ImportSummary> run_import(const ImportOptions& options,
                                 BundleReader& reader,
                                 OciStore& store,
                                 ImportSummary summary,
                                 ChannelGuard& channel,
                                 Reporter& reporter)
{
    const auto& bundle = reader.header().manifest;
    AIRLOCK_TRY(store.prepare());
    report_reclaimed(store.reclaim_abandoned(), "oci:" + store.root().string(), reporter);
    AIRLOCK_TRY_ASSIGN(ScopedDirectory staging, store.make_staging());
    StagingSink sink(store, staging.path());
    AIRLOCK_TRY(reader.read_contents(sink, OnMismatch::stop, reporter));

    for (const auto& blob : bundle.required) {
        if (!store.has_blob(blob.digest, blob.size)) {
            return std::unexpected(
                missing_required_blob(bundle,
                                      image_using(bundle, sink.documents(), blob.digest),
                                      blob,
                                      "oci:" + store.root().string()));
        }
    }
    const auto in_store = [&](const manifest::Digest& d) { return store.has_blob(d); };
    const auto from_store = [&](const manifest::Digest& d) { return store.read_document(d); };
    for (const auto& image : bundle.images) {
        AIRLOCK_TRY(check_image_closure(image, bundle, sink.documents(), in_store, from_store));
    }

    AIRLOCK_TRY_ASSIGN(const FileLock lock, store.lock(reporter));
    AIRLOCK_TRY(store.ensure_layout());
    // Checked again and recorded under the lock, so that two imports of one channel cannot
    // both pass; recorded before anything becomes visible, so the mark is never behind.
    AIRLOCK_TRY(channel.check());
    AIRLOCK_TRY(channel.record());
    for (const auto& blob : sink.staged()) {
        AIRLOCK_TRY(store.adopt_blob(staging.path() / blob.digest.hex(), blob.digest, blob.size));
    }
    if (!sink.staged().empty()) {
        AIRLOCK_TRY(fsync_directory(store.root() / "blobs" / "sha256"));
    }
    AIRLOCK_TRY_ASSIGN(std::vector<manifest::Descriptor> entries, store.read_index());
    const auto before = entries.size();
    bool changed = !fs::exists(store.root() / "index.json");
    const std::set<std::size_t> latest_candidates = newest_per_repository(bundle.images);
    for (std::size_t i = 0; i < bundle.images.size(); ++i) {
        const auto& image = bundle.images[i];
        ImportedImage imported{image.name,
                               image.digest,
                               image.version,
                               apply_plan(entries,
                                          image,
                                          plan_tags(image,
                                                    options.extra_tags,
                                                    latest_candidates.contains(i),
                                                    options.latest))};
        for (const auto& change : imported.tags) {
            changed = changed || change.action == TagChange::Action::added
                      || change.action == TagChange::Action::moved;
            if (change.action == TagChange::Action::kept) {
                reporter.warn(str_cat(image.name, ": ", change.note));
            }
        }
        summary.images.push_back(std::move(imported));
    }
    if (changed || entries.size() != before) {
        AIRLOCK_TRY(store.write_index(entries));
        summary.index_changed = true;
    }
    summary.blobs_written = sink.staged().size();
    summary.blobs_present = sink.present();
    summary.bytes_written = sink.bytes_written();
    return summary;
}

} // namespace

Result<ImportSummary> import_into_store(const ImportOptions& options,
                                        BundleReader& reader,
                                        ImportSummary summary,
                                        ChannelGuard& channel,
                                        Reporter& reporter);

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
import_bundle(const ImportOptions& options, const TrustedKeys& trusted, Reporter& reporter)
{
    AIRLOCK_TRY(validate_tags(options.extra_tags));
    AIRLOCK_TRY_ASSIGN(BundleReader reader, BundleReader::open(options.bundle, options.parts_dirs));
    ImportSummary summary;
    summary.store = "oci:" + options.store.string();
    if (options.signature == SignaturePolicy::require) {
        AIRLOCK_TRY_ASSIGN(const SignatureCheck check,
                           reader.authenticate(trusted, options.required_signatures));
        summary.signers = check.trusted_signers;
    } else {
        reporter.warn(
            str_cat("importing ", options.bundle.string(), " WITHOUT checking its signature"));
        AIRLOCK_TRY(reader.parse_unauthenticated());
    }
    // Site policy, before anything is touched: expiry and the channel's sequence.
    const auto& bundle_manifest = reader.header().manifest;
    AIRLOCK_TRY(check_expiry(bundle_manifest, now_seconds(), options.allow_expired));
    const std::string bundle_digest =
        "sha256:" + crypto::sha256_hex(reader.header().manifest_bytes);
    ChannelGuard channel(bundle_manifest, bundle_digest, options.allow_downgrade);
    const bool oci = !options.registry && !options.engine && !options.containerd;
    std::optional<FileLock> ledger_lock;
    if (oci) {
        // A symlinked directory is refused before its ledger is read through it.
        AIRLOCK_TRY(OciStore(options.store).check_directories());
        channel.add(
            std::make_unique<ChannelLedgerFile>(options.store / ".airlock" / "channels.json"));
    } else if (channel.applies()) {
        // This machine's ledger of the store, locked from check to record: the store has no
        // lock of its own that airlock could take. A registry store's own record (unless
        // --channel-state local) is added by the registry import, and both must agree.
        const fs::path file = local_ledger_path(options);
        AIRLOCK_TRY(make_directories(file.parent_path()));
        AIRLOCK_TRY_ASSIGN(FileLock lock,
                           FileLock::acquire(fs::path(file.string() + ".lock"),
                                             &reporter,
                                             "another import of this channel"));
        ledger_lock.emplace(std::move(lock));
        channel.add(std::make_unique<ChannelLedgerFile>(file));
    }
    AIRLOCK_TRY(channel.check()); // before anything is touched
    AIRLOCK_TRY(check_windows_hosts(
        bundle_manifest, options.host_os_version, options.require_compatible, reporter));
    return import_into_store(options, reader, std::move(summary), channel, reporter);
}

// The channel's mark is recorded by each store at its commit point, and only on success.
Result<ImportSummary> import_into_store(const ImportOptions& options,
                                        BundleReader& reader,
                                        ImportSummary summary,
                                        ChannelGuard& channel,
                                        Reporter& reporter)
{
    if (!reader.header().manifest.required.empty()) {
        // Checked blob by blob below; named here so the operator knows why an import may fail.
        reporter.info(str_cat("differential bundle: needs ",
                              reader.header().manifest.required.size(),
                              " blobs already in the store"));
    }
    if (options.registry) {
        return import_to_registry(options, reader, std::move(summary), channel, reporter);
    }
    if ((options.engine || options.containerd) && !reader.header().manifest.required.empty()) {
        return fail(Errc::unsupported,
                    str_cat(options.bundle.string(),
                            " is a differential bundle (",
                            reader.header().manifest.required.size(),
                            " layers left out); engines load whole images: import a full bundle, "
                            "or this one into "
                            "an oci: or docker:// store that holds the rest"));
    }
    if (options.engine || options.containerd) {
        auto result = options.engine
                          ? import_to_engine(options, reader, std::move(summary), reporter)
                          : import_to_containerd(options, reader, std::move(summary), reporter);
        if (result) {
            if (auto recorded = channel.record(); !recorded) {
                return std::unexpected(
                    std::move(recorded.error())
                        .with_context(str_cat("the images were imported, but channel '",
                                              reader.header().manifest.channel,
                                              "' was not recorded; re-run the same import to "
                                              "record it")));
            }
        }
        return result;
    }
    OciStore store(options.store);
    const StoreFootprint before = footprint(store);
    auto result = run_import(options, reader, store, std::move(summary), channel, reporter);
    if (!result) {
        remove_created(store, before);
        return std::unexpected(std::move(result.error())
                                   .with_context(str_cat("while importing ",
                                                         options.bundle.string(),
                                                         " into oci:",
                                                         options.store.string())));
    }
    return result;
}

} // namespace airlock::unpack

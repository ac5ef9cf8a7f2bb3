// SPDX-License-Identifier: Apache-2.0
//
// import --to oci:DIR (and the default store). The order is what makes it safe:
//   1. every blob streams into a private staging directory inside the store, hashed as it is
//      written; blobs the store already has are hashed and dropped, never rewritten; the
//      staged blobs are made durable together (one syncfs, BatchedSync) before any is renamed;
//   2. each image's closure is checked (every manifest, config and layer present);
//   3. under the store lock: the channel ledger is checked again and this bundle recorded in
//      it, the staged blobs are renamed in, then index.json is replaced atomically.
// A failure before 3 removes the staging directory and leaves the store byte-for-byte as it
// was; blobs land before tags, so a crash inside 3 leaves unreferenced blobs, and a re-run
// finishes. What a killed import leaves in .airlock/ is reclaimed by the next one
// (ownership.hpp).

#include "../bundle_policy.hpp"
#include "../image_closure.hpp"
#include "../lookaside_store.hpp"
#include "kinds.hpp"

#include <airlock/base/batched_sync.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/oci_store.hpp>

#include <optional>
#include <set>

namespace airlock::unpack {

namespace fs = std::filesystem;

namespace {

// "registry.example.com:5000/ns/app" -> "ns/app".
std::string repository_path(const std::string& name)
{
    const std::size_t slash = name.find('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

// Writes blobs the store lacks into the staging directory.
class StagingSink final : public bundle::BlobSink
{
  public:
    StagingSink(const OciStore& store, fs::path staging, bool deferred_sync)
        : m_store(store)
        , m_staging(std::move(staging))
        , m_deferred_sync(deferred_sync)
    {
    }

    Result<> begin(const manifest::BundleBlob& blob) override
    {
        m_blob = blob;
        if (m_store.has_blob(blob.digest, blob.size)) {
            ++m_counts.present;
            hold(blob);
            return {};
        }
        AIRLOCK_TRY_ASSIGN(SequentialFileWriter file,
                           SequentialFileWriter::create(m_staging / blob.digest.hex()));
        m_file.emplace(std::move(file));
        return {};
    }

    Result<> write(std::span<const char> data) override
    {
        if (m_file) {
            AIRLOCK_TRY(m_file->write(data));
            m_counts.bytes += data.size();
        }
        return {};
    }

    Result<> end(bool verified) override
    {
        if (!m_file) {
            return {};
        }
        if (verified) {
            AIRLOCK_TRY(m_deferred_sync ? m_file->close() : m_file->sync_and_close());
        }
        m_file.reset();
        if (verified) {
            m_staged.push_back(*m_blob);
            ++m_counts.written;
        }
        return {};
    }

    // Links the store's copy of `blob` into staging, so that a prune before publish cannot
    // take it: publish renames the link back if the store's name for it is gone. Where the
    // file system has no hard links, publish's final check catches a blob that went.
    void hold(const manifest::BundleBlob& blob)
    {
        const fs::path link = m_staging / blob.digest.hex();
        std::error_code ec;
        fs::create_hard_link(m_store.blob_path(blob.digest), link, ec);
        if (ec) {
            return;
        }
        if (regular_file_size(link) != blob.size) {
            fs::remove(link, ec); // the store's name was swapped meanwhile: not the blob
            return;
        }
        m_staged.push_back(blob);
    }

    // Blobs in staging, written or held, for publish.
    const std::vector<manifest::BundleBlob>& staged() const
    {
        return m_staged;
    }

    const BlobCounts& counts() const
    {
        return m_counts;
    }

  private:
    const OciStore& m_store;
    fs::path m_staging;
    bool m_deferred_sync; // the staging directory's BatchedSync makes the blobs durable
    std::optional<manifest::BundleBlob> m_blob; // the one between begin() and end()
    std::optional<SequentialFileWriter> m_file;
    std::vector<manifest::BundleBlob> m_staged;
    BlobCounts m_counts;
};

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

class OciLayoutStore final : public Store
{
  public:
    explicit OciLayoutStore(fs::path root)
        : m_store(std::move(root))
    {
    }

    std::string name() const override
    {
        return "oci:" + m_store.root().string();
    }

    std::string identity() const override
    {
        return name();
    }

    std::string ledger_name() const override
    {
        return "oci-" + m_store.root().string();
    }

    bool accepts_differential() const override
    {
        return true;
    }

    // The store keeps its own ledger, under its own lock.
    Result<>
    add_channel_states(ChannelGuard& channel, Reporter& /*reporter*/, bool /*for_preview*/) override
    {
        // A symlinked directory is refused before its ledger is read through it.
        AIRLOCK_TRY(m_store.check_directories());
        channel.add(
            std::make_unique<ChannelLedgerFile>(m_store.root() / ".airlock" / "channels.json"));
        return {};
    }

    Result<>
    prepare(const IncomingBundle& bundle, ChannelGuard& /*channel*/, Reporter& reporter) override
    {
        m_bundle = &bundle.manifest;
        m_bundle_path = bundle.path;
        m_reporter = &reporter;
        m_before = footprint(m_store);
        if (!m_before.root) {
            // Said, because a mistyped --to path would otherwise become a store silently.
            reporter.info(str_cat("creating a new store at ", m_store.root().string()));
        }
        AIRLOCK_TRY(m_store.prepare());
        report_reclaimed(m_store.reclaim_abandoned(), name(), reporter);
        AIRLOCK_TRY_ASSIGN(ScopedDirectory staging, m_store.make_staging());
        m_staging.emplace(std::move(staging));
        AIRLOCK_TRY_ASSIGN(BatchedSync sync, BatchedSync::begin(m_staging->path()));
        m_sync.emplace(std::move(sync));
        return {};
    }

    // Nothing created: not the store, its lock, nor staging.
    Result<> prepare_preview(const IncomingBundle& bundle,
                             ChannelGuard& /*channel*/,
                             Reporter& reporter) override
    {
        m_bundle = &bundle.manifest;
        m_bundle_path = bundle.path;
        m_reporter = &reporter;
        return {};
    }

    // The tag rules run on a copy of index.json that is never written.
    Result<BlobCounts> preview(const Documents& documents) override
    {
        AIRLOCK_TRY(ensure_required(documents));
        BlobCounts counts;
        for (const auto& blob : m_bundle->blobs) {
            if (manifest::media_type::is_signature(blob.media_type)) {
                continue; // kept apart by keep_signatures, not a blob of the store
            }
            const bool present = m_store.has_blob(blob.digest, blob.size);
            (present ? counts.present : counts.written) += 1;
            (present ? counts.bytes_present : counts.bytes) += blob.size;
        }
        // As publish reads it: whatever index.json is there, oci-layout or not.
        AIRLOCK_TRY_ASSIGN(m_entries, m_store.read_index());
        m_tags.emplace(m_entries, m_bundle->images);
        return counts;
    }

    Result<bundle::BlobSink*> receiver(const Documents& /*documents*/) override
    {
        m_sink.emplace(m_store, m_staging->path(), m_sync->deferred());
        return &*m_sink;
    }

    Result<> received(Result<bundle::ContentReport> streamed) override
    {
        if (!streamed) {
            return std::unexpected(std::move(streamed.error()));
        }
        return {};
    }

    Result<> ensure_required(const Documents& documents) override
    {
        for (const auto& blob : m_bundle->required) {
            if (!m_store.has_blob(blob.digest, blob.size)) {
                return std::unexpected(missing_required_blob(
                    *m_bundle, image_using(*m_bundle, documents, blob.digest), blob, name()));
            }
            if (m_sink) {
                m_sink->hold(blob);
            }
        }
        return {};
    }

    bool holds(const manifest::Digest& digest) const override
    {
        return m_store.has_blob(digest);
    }

    Result<std::string> read_document(const manifest::Digest& digest) const override
    {
        return m_store.read_document(digest);
    }

    Result<> publish(const Documents& documents, ChannelGuard& channel) override
    {
        AIRLOCK_TRY_ASSIGN(FileLock lock, m_store.lock(*m_reporter));
        m_lock.emplace(std::move(lock));
        AIRLOCK_TRY(m_store.ensure_layout());
        // Checked again and recorded under the lock, so that two imports of one channel cannot
        // both pass; recorded before anything becomes visible, so the mark is never behind.
        AIRLOCK_TRY(channel.check());
        AIRLOCK_TRY(channel.record());
        // Every written blob durable before the first is renamed into the store.
        if (m_sink->counts().written > 0) {
            AIRLOCK_TRY(m_sync->commit());
        }
        for (const auto& blob : m_sink->staged()) {
            AIRLOCK_TRY(
                m_store.adopt_blob(m_staging->path() / blob.digest.hex(), blob.digest, blob.size));
        }
        if (!m_sink->staged().empty()) {
            AIRLOCK_TRY(fsync_directory(m_store.root() / "blobs" / "sha256"));
        }
        AIRLOCK_TRY(check_complete());
        // And every blob the images take from the store beyond those (a foreign layer, say):
        // the closure check before the lock may have seen one that a prune took since.
        const BundleBlobs blobs(*m_bundle);
        for (const auto& image : m_bundle->images) {
            AIRLOCK_TRY(check_image_closure(
                image,
                blobs,
                documents,
                [this](const manifest::Digest& d) { return m_store.has_blob(d); },
                [this](const manifest::Digest& d) { return m_store.read_document(d); }));
        }
        AIRLOCK_TRY_ASSIGN(m_entries, m_store.read_index());
        m_tags.emplace(m_entries, m_bundle->images);
        return {};
    }

    // Every blob of the bundle and every one it requires is in the store now, under the lock:
    // nothing (a prune, a hand) took one the import found there and could not hold.
    Result<> check_complete() const
    {
        for (const auto* list : {&m_bundle->blobs, &m_bundle->required}) {
            for (const auto& blob : *list) {
                if (manifest::media_type::is_signature(blob.media_type)) {
                    continue; // kept beside the layout, not in blobs/
                }
                if (!m_store.has_blob(blob.digest, blob.size)) {
                    return fail(Errc::not_found,
                                str_cat("blob ",
                                        blob.digest.str(),
                                        " left ",
                                        name(),
                                        " while this import ran; nothing was tagged: run the "
                                        "import again"));
                }
            }
        }
        return {};
    }

    std::optional<std::string> image_id(std::size_t image) const override
    {
        return m_bundle->images.at(image).digest.str();
    }

    std::string image_name(std::size_t image) const override
    {
        return m_bundle->images.at(image).name;
    }

    // Beside the layout, as a lookaside store lays them out (signatures/PATH@sha256=HEX/
    // signature-N, PATH the image's repository without its registry host, whose port's ':'
    // Windows file names cannot hold): what a site's lookaside server can serve.
    Result<std::size_t> keep_signatures(const std::vector<CarriedSignature>& signatures,
                                        Reporter& reporter) override
    {
        std::size_t written = 0;
        std::size_t kept = 0;
        for (const auto& sig : signatures) {
            // The images are in already: a signature that cannot be written is said, not fatal.
            auto wrote =
                write_lookaside_signature(m_store.root() / "signatures",
                                          repository_path(m_bundle->images.at(sig.image).name),
                                          sig.manifest.str(),
                                          sig.bytes);
            if (!wrote) {
                reporter.warn(str_cat("a signature of ",
                                      m_bundle->images.at(sig.image).name,
                                      " was not written: ",
                                      wrote.error().message));
                continue;
            }
            written += *wrote ? 1U : 0U;
            ++kept;
        }
        if (written > 0) {
            reporter.info(str_cat(written,
                                  " vendor signature(s) written to ",
                                  (m_store.root() / "signatures").string()));
        }
        return kept;
    }

    // Entries of index.json, as other layout tools keep them: a sigstore attachment under the
    // ref name IMAGE:sha256-HEX.sig (what skopeo and cosign look up), a referrer as an untagged
    // entry (what oras and regclient find by the manifest's subject). Both keep their blobs
    // from prune, and a later push of the layout carries them.
    Result<std::size_t> keep_attachments(const std::vector<CarriedAttachment>& attachments,
                                         Reporter& reporter) override
    {
        std::size_t added = 0;
        std::size_t kept = 0; // added now or there already
        std::set<manifest::Digest> untagged;
        for (const auto& entry : m_entries) {
            if (entry.annotation(manifest::k_annotation_ref_name).empty()) {
                untagged.insert(entry.digest);
            }
        }
        for (const auto& carried : attachments) {
            const manifest::ImageAttachment& a = *carried.attachment;
            manifest::Descriptor d{.media_type = a.media_type,
                                   .digest = a.digest,
                                   .size = a.size,
                                   .platform = {},
                                   .urls = {},
                                   .annotations = {}};
            if (a.tag.empty()) {
                if (untagged.insert(a.digest).second) {
                    m_entries.push_back(std::move(d));
                    ++added;
                }
                ++kept;
                continue;
            }
            const std::string ref = str_cat(m_bundle->images.at(carried.image).name, ":", a.tag);
            const auto there = std::find_if(
                m_entries.begin(), m_entries.end(), [&](const manifest::Descriptor& e) {
                    return e.annotation(manifest::k_annotation_ref_name) == ref;
                });
            if (there != m_entries.end()) {
                // The store's own (a co-signature added here) is never overwritten.
                if (there->digest != a.digest) {
                    reporter.warn(str_cat(ref,
                                          " holds another manifest (",
                                          there->digest.str(),
                                          ") than the bundle's ",
                                          a.digest.str(),
                                          "; kept the store's"));
                } else {
                    ++kept;
                }
                continue;
            }
            d.annotations[std::string(manifest::k_annotation_ref_name)] = ref;
            d.annotations[std::string(manifest::k_annotation_containerd_name)] = ref;
            m_entries.push_back(std::move(d));
            ++added;
            ++kept;
        }
        if (added > 0) {
            m_index_changed = true;
            reporter.info(str_cat(added, " attached manifest(s) kept in ", name()));
        }
        return kept;
    }

    Result<std::optional<std::string>> tagged(std::size_t image, const std::string& tag) override
    {
        return m_tags->tagged(image, tag);
    }

    Result<std::string> tagged_version() override
    {
        return m_tags->tagged_version();
    }

    Result<> set_tag(std::size_t image, const std::string& tag) override
    {
        m_index_changed = true;
        return m_tags->set_tag(image, tag);
    }

    Result<> commit() override
    {
        if (!m_index_changed) {
            return {};
        }
        return m_store.write_index(m_entries);
    }

    BlobCounts counts() const override
    {
        return m_sink ? m_sink->counts() : BlobCounts{};
    }

    Error abandon(Error error) override
    {
        m_sink.reset();
        m_sync.reset();
        m_staging.reset();
        m_lock.reset();
        remove_created(m_store, m_before);
        return std::move(error).with_context(
            str_cat("while importing ", m_bundle_path.string(), " into ", name()));
    }

  private:
    OciStore m_store;
    const manifest::BundleManifest* m_bundle = nullptr;
    fs::path m_bundle_path;
    Reporter* m_reporter = nullptr;
    StoreFootprint m_before;
    std::optional<ScopedDirectory> m_staging;
    std::optional<BatchedSync> m_sync; // of the blobs written into m_staging
    std::optional<StagingSink> m_sink;
    std::optional<FileLock> m_lock;
    std::vector<manifest::Descriptor> m_entries; // index.json, once the lock is held
    std::optional<IndexTags> m_tags;
    bool m_index_changed = false;
};

} // namespace

Result<std::unique_ptr<Store>> open_oci_layout_store(std::string_view spec,
                                                     const StoreOptions& /*options*/)
{
    AIRLOCK_TRY_ASSIGN(fs::path root, parse_store_spec(spec));
    return std::make_unique<OciLayoutStore>(std::move(root));
}

std::unique_ptr<Store> open_default_store()
{
    return std::make_unique<OciLayoutStore>(default_store_path());
}

} // namespace airlock::unpack

// SPDX-License-Identifier: Apache-2.0
//
// pack: resolve every source into a plan (all documents verified), decide the blob order
// (indexes and manifests, then configs, then layers; each blob once), write bundle.json and
// its signatures, then stream every blob from its source into the bundle, hashing as it goes.

#include "attachments.hpp"
#include "hashing_reader.hpp"
#include "holdings.hpp"
#include "image_plan.hpp"
#include "layout_files.hpp"
#include "lookaside.hpp"
#include "prefetch.hpp"
#include "registry_source.hpp"
#include "source_signatures.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/file_set.hpp>
#include <airlock/base/ownership.hpp>
#include <airlock/base/phase_progress.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/bundle/bundle_writer.hpp>
#include <airlock/bundle/file_names.hpp>
#include <airlock/bundle/part_writer.hpp>
#include <airlock/bundle/signer.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/inventory.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/pack/pack.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace airlock::pack {

namespace fs = std::filesystem;

namespace {

Result<bundle::Signer> load_signer(const std::vector<fs::path>& key_files)
{
    if (key_files.empty()) {
        return fail(
            Errc::usage,
            "a bundle must be signed: give --sign-key KEY (make one with 'airlock key generate')");
    }
    return bundle::Signer::load(key_files);
}

std::int64_t bundle_time(const PackOptions& options, const std::vector<PlannedImage>& images)
{
    if (options.created) {
        return *options.created;
    }
    if (const auto epoch = source_date_epoch()) {
        return *epoch;
    }
    std::int64_t newest = 0;
    for (const auto& image : images) {
        if (image.created_seconds && *image.created_seconds > newest) {
            newest = *image.created_seconds;
        }
    }
    return newest;
}

// When this pack happens: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
std::int64_t pack_time()
{
    return source_date_epoch().value_or(now_seconds());
}

archive::EntryContent entry_content(const manifest::BundleBlob& blob)
{
    if (manifest::media_type::is_json_document(blob.media_type)) {
        return archive::EntryContent::metadata;
    }
    return manifest::media_type::is_compressed_layer(blob.media_type)
               ? archive::EntryContent::compressed
               : archive::EntryContent::uncompressed;
}

// Blobs up to this size are read and hashed in one go on the calling thread: a catalog's
// configs and small layers number in the tens of thousands, and a HashingReader's thread and
// its 4 MiB of buffers cost more for each than reading it.
constexpr std::uint64_t k_small_blob = 1U << 20U;

std::unexpected<Error>
wrong_size(const PlannedBlob& planned, const manifest::BundleBlob& blob, std::uint64_t copied)
{
    return fail(Errc::digest_mismatch,
                str_cat("blob ",
                        blob.digest.str(),
                        " in ",
                        planned.source->reference(),
                        " has ",
                        copied,
                        " bytes, its descriptor says ",
                        blob.size));
}

std::unexpected<Error> too_large(const PlannedBlob& planned, const manifest::BundleBlob& blob)
{
    return fail(Errc::digest_mismatch,
                str_cat("blob ",
                        blob.digest.str(),
                        " in ",
                        planned.source->reference(),
                        " is larger than its descriptor's ",
                        blob.size,
                        " bytes"));
}

std::unexpected<Error> wrong_digest(const PlannedBlob& planned, const manifest::BundleBlob& blob)
{
    return fail(Errc::digest_mismatch,
                str_cat("blob ",
                        blob.digest.str(),
                        " in ",
                        planned.source->reference(),
                        " does not match its digest (corrupt source)"));
}

// A blob of at most k_small_blob bytes: read whole, verified, then written as one entry.
Result<> copy_small_blob(archive::TarWriter& writer,
                         const PlannedBlob& planned,
                         const manifest::BundleBlob& blob,
                         const HashingReader::ReadSome& read,
                         PhaseProgress& progress)
{
    // One byte more than the descriptor says, to tell a larger file from one of the right size.
    std::string bytes(blob.size + 1, '\0');
    std::size_t got = 0;
    while (got < bytes.size()) {
        AIRLOCK_TRY_ASSIGN(const std::size_t n, read(std::span(bytes).subspan(got)));
        if (n == 0) {
            break;
        }
        got += n;
    }
    if (got > blob.size) {
        return too_large(planned, blob);
    }
    if (got != blob.size) {
        return wrong_size(planned, blob, got);
    }
    bytes.resize(got);
    if (crypto::sha256_hex(bytes) != blob.digest.hex()) {
        return wrong_digest(planned, blob);
    }
    AIRLOCK_TRY(writer.add(blob.digest.layout_path(), bytes, entry_content(blob)));
    progress.add_bytes(blob.size);
    return {};
}

// Calls `give_up` when a copy ends early, before its reader is joined: a reader waiting for a
// download's next bytes must not keep a failed pack waiting for them.
class GiveUpOnEarlyEnd
{
  public:
    explicit GiveUpOnEarlyEnd(const std::function<void()>& give_up)
        : m_give_up(give_up)
    {
    }

    GiveUpOnEarlyEnd(const GiveUpOnEarlyEnd&) = delete;
    GiveUpOnEarlyEnd& operator=(const GiveUpOnEarlyEnd&) = delete;

    ~GiveUpOnEarlyEnd()
    {
        if (m_armed && m_give_up) {
            m_give_up();
        }
    }

    void completed()
    {
        m_armed = false;
    }

  private:
    const std::function<void()>& m_give_up;
    bool m_armed = true;
};

// Copies one blob's bytes, as `read` gives them, into the bundle, verifying digest and size on
// the way; `give_up` (may be empty) unblocks `read` when the copy ends early.
Result<> copy_blob_bytes(archive::TarWriter& writer,
                         const PlannedBlob& planned,
                         const manifest::BundleBlob& blob,
                         HashingReader::ReadSome read,
                         const std::string& what,
                         const std::function<void()>& give_up,
                         PhaseProgress& progress)
{
    if (blob.size <= k_small_blob) {
        return copy_small_blob(writer, planned, blob, read, progress);
    }
    AIRLOCK_TRY(writer.begin_entry(blob.digest.layout_path(), blob.size, entry_content(blob)));
    HashingReader reader(std::move(read), what);
    GiveUpOnEarlyEnd early_end(give_up); // declared after the reader: runs before its join
    std::uint64_t copied = 0;
    while (std::optional<HashingReader::Chunk> chunk = reader.next()) {
        AIRLOCK_TRY(check_cancel());
        const std::size_t n = chunk->size();
        if (copied + n > blob.size) {
            return too_large(planned, blob);
        }
        AIRLOCK_TRY(writer.write(*chunk));
        reader.recycle(std::move(*chunk));
        copied += n;
        progress.add_bytes(n);
    }
    AIRLOCK_TRY_ASSIGN(const std::string actual, reader.finish());
    early_end.completed();
    if (copied != blob.size) {
        return wrong_size(planned, blob, copied);
    }
    if (actual != blob.digest.hex()) {
        return wrong_digest(planned, blob);
    }
    return writer.end_entry();
}

// Copies one blob from its source into the bundle: a layer still downloading as its bytes
// arrive (`live`), any other from its file.
Result<> copy_blob(archive::TarWriter& writer,
                   const PlannedBlob& planned,
                   const manifest::BundleBlob& blob,
                   LiveDownloads& live,
                   PhaseProgress& progress)
{
    if (planned.content || planned.role == BlobRole::document) {
        // Indexes and manifests: small, already verified, served by the manifests endpoint.
        std::string bytes;
        if (planned.content) {
            bytes = *planned.content;
        } else {
            AIRLOCK_TRY_ASSIGN(bytes, planned.source->fetch_document(planned.descriptor));
        }
        AIRLOCK_TRY(writer.add(blob.digest.layout_path(), bytes, entry_content(blob)));
        progress.add_bytes(blob.size);
        return {};
    }
    if (live.follows(blob.digest)) {
        FollowedBlob followed(live, planned.descriptor, planned.source->reference());
        return copy_blob_bytes(
            writer,
            planned,
            blob,
            [&followed](std::span<char> buffer) { return followed.read(buffer); },
            planned.source->reference(),
            [&live] { live.stop(); },
            progress);
    }
    AIRLOCK_TRY_ASSIGN(const fs::path path, planned.source->blob_file(planned.descriptor));
    AIRLOCK_TRY_ASSIGN(Fd fd, open_for_reading(path));
    auto copied = copy_blob_bytes(
        writer,
        planned,
        blob,
        [&fd, what = path.string()](std::span<char> buffer) { return read_some(fd, buffer, what); },
        path.string(),
        {},
        progress);
    if (!copied && copied.error().code == Errc::digest_mismatch
        && planned.source->discard_cached(planned.descriptor)) {
        // A cached copy damaged after it was verified (a power failure): the next run
        // downloads it again instead of failing the same way.
        return std::unexpected(std::move(copied.error())
                                   .with_context(str_cat("the cached copy of ",
                                                         blob.digest.str(),
                                                         " is removed: the next pack downloads "
                                                         "it again")));
    }
    return copied;
}

// What an interrupted pack to this path left: a split set caught in its switch is put back
// first, then the temporary files and moved-aside files of earlier runs go. Under the
// directory's lock, which a switch holds too.
Result<> reclaim_output(const fs::path& output, Reporter& reporter)
{
    const fs::path dir = output.has_parent_path() ? output.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return {}; // writing will say what is wrong with it
    }
    AIRLOCK_TRY_ASSIGN(const FileLock lock,
                       FileLock::acquire_directory(dir, &reporter, "another pack writing there"));
    // A switch to either form that was killed before its commit point was renamed in leaves
    // neither OUT nor OUT.parts.json: only then are the moved-aside files the earlier bundle to
    // put back. With either in place, the switch had finished and the backups are debris.
    const bool committed = fs::exists(fs::symlink_status(output, ec))
                           || fs::exists(fs::symlink_status(bundle::parts_file_path(output), ec));
    for (const fs::path& commit_point : {output, bundle::parts_file_path(output)}) {
        if (committed) {
            break;
        }
        AIRLOCK_TRY_ASSIGN(const bool restored, restore_interrupted_switch(commit_point));
        if (restored) {
            reporter.warn(str_cat("restored the earlier ",
                                  commit_point.string(),
                                  " and the files beside it, which an interrupted pack had moved "
                                  "aside"));
        }
    }
    const std::string name = output.filename().string();
    const auto pack_temporary = [&](std::string_view entry) {
        return bundle::is_pack_temporary(entry, name);
    };
    report_reclaimed(reclaim_abandoned(dir, Debris::files, pack_temporary), dir.string(), reporter);
    return {};
}

// The images the command names, resolved in their sources and planned; `sources` keeps each
// source for the download of its blobs.
Result<std::vector<PlannedImage>> resolve_images(const PackOptions& options,
                                                 SourceFactory& factory,
                                                 std::vector<std::unique_ptr<ImageSource>>& sources,
                                                 Reporter& reporter)
{
    std::vector<PlannedImage> images;
    std::optional<manifest::RegistriesD> registries_d; // read once, when a registry image needs it
    if (!options.require_source_signature.empty() && !options.signatures) {
        return fail(Errc::usage,
                    "--require-source-signature checks the signatures that "
                    "--no-signatures leaves out: give one or the other");
    }
    AIRLOCK_TRY_ASSIGN(const std::vector<SourceKey> source_keys,
                       load_source_keys(options.require_source_signature));
    for (const auto& request : options.sources) {
        const std::string& reference = request.reference;
        // A line of an image list may name its own platforms.
        const PlatformSelection selection =
            request.all_platforms || !request.platforms.empty()
                ? PlatformSelection{request.platforms, request.all_platforms}
                : PlatformSelection{options.platforms, options.all_platforms};
        auto source = factory.make(reference);
        if (!source) {
            return std::unexpected(
                std::move(source.error()).with_context(str_cat("while resolving ", reference)));
        }
        auto planned = plan_image(**source, selection, reporter);
        if (!planned) {
            return std::unexpected(
                std::move(planned.error()).with_context(str_cat("while resolving ", reference)));
        }
        reporter.info(str_cat("resolved ",
                              reference,
                              " -> ",
                              planned->image.name,
                              " ",
                              planned->image.digest.str(),
                              " [",
                              planned->image.platforms.empty() ? std::string("no platform")
                                                               : planned->image.platforms.front(),
                              planned->image.platforms.size() > 1
                                  ? str_cat(" +", planned->image.platforms.size() - 1)
                                  : "",
                              "]"));
        if (options.signatures && (*source)->from_registry()) {
            if (!registries_d) {
                AIRLOCK_TRY_ASSIGN(
                    registries_d,
                    manifest::load_registries_d(manifest::registries_d_dir(options.registries_d)));
            }
            AIRLOCK_TRY(
                add_lookaside_signatures(*planned, *registries_d, options.registry, reporter));
        }
        if (options.signatures) {
            AIRLOCK_TRY(add_attachments(*planned, **source, reporter));
        }
        // --require-source-signature's keys and the line's own are two demands: each must be
        // met by a signature of one of its keys.
        std::vector<std::vector<SourceKey>> demands;
        if (!source_keys.empty()) {
            demands.push_back(source_keys);
        }
        if (!request.require_signature.empty()) {
            if (!options.signatures) {
                return fail(Errc::usage,
                            str_cat(reference,
                                    ": require-signature= checks the signatures that "
                                    "--no-signatures leaves out"));
            }
            AIRLOCK_TRY_ASSIGN(std::vector<SourceKey> own,
                               load_source_keys(request.require_signature));
            demands.push_back(std::move(own));
        }
        for (const auto& keys : demands) {
            auto vouched = require_source_signature(*planned, keys);
            if (!vouched) {
                return std::unexpected(std::move(vouched.error()));
            }
            reporter.info(str_cat(planned->image.name,
                                  ": signature verified, key ",
                                  planned->image.verified_by.back().key));
        }
        for (const auto& tag : request.tags) {
            if (std::find(planned->image.tags.begin(), planned->image.tags.end(), tag)
                == planned->image.tags.end()) {
                planned->image.tags.push_back(tag);
            }
        }
        sources.push_back(std::move(*source));
        images.push_back(std::move(*planned));
    }
    return images;
}

// Stream order: every index and manifest, then the vendors' signatures, then every config,
// then every layer; each once.
// Fills the bundle's blob list (and, for layers the target holds, its required list) and
// returns the blobs to write, in that order. Errc::digest_mismatch when two images declare one
// blob with different sizes: it is carried and checked once, and the other image's manifest
// would reach the site untrue.
Result<std::vector<const PlannedBlob*>> plan_stream(const std::vector<PlannedImage>& images,
                                                    const TargetHoldings& holdings,
                                                    manifest::BundleManifest& bundle)
{
    // A lookaside file with the bytes of an image's blob would take that blob's place in the
    // bundle (each digest is listed once) and keep it from the store.
    std::set<manifest::Digest> content;
    for (const auto& image : images) {
        for (const auto& blob : image.blobs) {
            if (blob.role != BlobRole::signature) {
                content.insert(blob.descriptor.digest);
            }
        }
    }
    for (const auto& image : images) {
        for (const auto& blob : image.blobs) {
            if (blob.role == BlobRole::signature && content.contains(blob.descriptor.digest)) {
                return fail(Errc::format,
                            str_cat("a lookaside signature of ",
                                    image.image.name,
                                    " has the bytes of an image's blob ",
                                    blob.descriptor.digest.str(),
                                    "; the lookaside store is not to be trusted"));
            }
        }
    }
    std::vector<const PlannedBlob*> order;

    struct Placed
    {
        const PlannedBlob* blob;
        const PlannedImage* image;
    };

    std::map<manifest::Digest, Placed> placed;
    for (const BlobRole role :
         {BlobRole::document, BlobRole::signature, BlobRole::config, BlobRole::layer}) {
        for (const auto& image : images) {
            for (const auto& blob : image.blobs) {
                if (blob.role != role) {
                    continue;
                }
                const auto [first, inserted] =
                    placed.emplace(blob.descriptor.digest, Placed{&blob, &image});
                if (!inserted) {
                    const Placed& earlier = first->second;
                    if (earlier.blob->descriptor.size != blob.descriptor.size) {
                        return fail(Errc::digest_mismatch,
                                    str_cat("blob ",
                                            blob.descriptor.digest.str(),
                                            " is ",
                                            earlier.blob->descriptor.size,
                                            " bytes in ",
                                            earlier.image->image.source,
                                            " but ",
                                            blob.descriptor.size,
                                            " bytes in ",
                                            image.image.source,
                                            ": one of their manifests is wrong"));
                    }
                    continue;
                }
                const manifest::BundleBlob listed{
                    blob.descriptor.digest, blob.descriptor.size, blob.descriptor.media_type};
                if (role == BlobRole::layer && holdings.digests.contains(blob.descriptor.digest)) {
                    bundle.required.push_back(listed); // the target has it: only named
                    continue;
                }
                order.push_back(&blob);
                bundle.blobs.push_back(listed);
            }
        }
    }
    return order;
}

// What the bundle starts with: bundle.json, its signatures and the layout files.
Result<bundle::HeaderEntries> make_header(const PackOptions& options,
                                          const bundle::Signer& signer,
                                          const std::vector<PlannedImage>& images,
                                          std::int64_t created,
                                          manifest::BundleManifest& bundle)
{
    bundle.created = format_rfc3339_utc(created);
    bundle.tool = str_cat("airlock ", AIRLOCK_VERSION);
    bundle.channel = options.channel;
    bundle.sequence = options.sequence;
    if (options.expires_after) {
        bundle.expires = format_rfc3339_utc(pack_time() + *options.expires_after);
    }
    // Readers take RFC 3339 times of four-digit years only: a bundle they would refuse is not
    // written.
    if (!parse_rfc3339(bundle.created)) {
        return fail(Errc::usage,
                    str_cat("the bundle's time ",
                            bundle.created,
                            " is past the year 9999 (check SOURCE_DATE_EPOCH)"));
    }
    if (!bundle.expires.empty() && !parse_rfc3339(bundle.expires)) {
        return fail(Errc::usage,
                    str_cat("--expires: the bundle would expire at ",
                            bundle.expires,
                            ", past the year 9999; give a shorter time"));
    }
    for (const auto& image : images) {
        bundle.images.push_back(image.image);
    }
    bundle::HeaderEntries header;
    AIRLOCK_TRY_ASSIGN(header.layout, make_layout_files(images));
    for (const auto& file : header.layout) {
        bundle.layout_files.push_back({file.path,
                                       manifest::Digest::sha256(crypto::sha256_hex(file.content)),
                                       file.content.size()});
    }
    AIRLOCK_TRY_ASSIGN(header.bundle_json, manifest::bundle_manifest_to_json(bundle));
    AIRLOCK_TRY_ASSIGN(const std::vector<manifest::Signature> signatures,
                       signer.sign(header.bundle_json));
    AIRLOCK_TRY_ASSIGN(header.signatures_json, manifest::signatures_to_json(signatures));
    return header;
}

// At least the bytes the bundle can take: every entry with its tar header, padding and a pax
// header, and zstd's worst-case growth of incompressible data (under 1/128 plus its frames).
std::uint64_t bundle_size_bound(const bundle::HeaderEntries& header,
                                const manifest::BundleManifest& bundle)
{
    constexpr std::uint64_t k_entry_overhead = 4096;
    std::uint64_t bytes = header.bundle_json.size() + header.signatures_json.size() + 65536;
    for (const auto& file : header.layout) {
        bytes += file.content.size() + k_entry_overhead;
    }
    for (const auto& blob : bundle.blobs) {
        bytes += blob.size + k_entry_overhead;
    }
    return bytes + bytes / 128 + (1U << 20U);
}

// How many parts of `split` bytes a split bundle may have: as many as its largest possible size
// needs, and at least 999, so that part numbers keep three digits unless more may be needed;
// Errc::usage beyond what readers take.
Result<std::uint64_t> max_parts(std::uint64_t size_bound, std::uint64_t split)
{
    const std::uint64_t parts = std::max<std::uint64_t>(999, (size_bound + split - 1) / split);
    if (parts > manifest::k_max_bundle_parts) {
        return fail(Errc::usage,
                    str_cat("--split ",
                            split,
                            " bytes could make up to ",
                            parts,
                            " parts, more than the ",
                            manifest::k_max_bundle_parts,
                            " a bundle may have: use a larger --split"));
    }
    return parts;
}

// Streams the header and every blob in `order` into the bundle (or its parts) and commits it.
Result<> write_bundle(const PackOptions& options,
                      const bundle::Signer& signer,
                      const bundle::HeaderEntries& header,
                      const manifest::BundleManifest& bundle,
                      const std::vector<const PlannedBlob*>& order,
                      Prefetch& prefetch,
                      std::int64_t created,
                      PackSummary& summary,
                      Reporter& reporter)
{
    std::optional<bundle::PartWriter> parts;
    std::optional<AtomicFile> whole;
    if (options.split_size) {
        AIRLOCK_TRY_ASSIGN(const std::uint64_t most,
                           max_parts(bundle_size_bound(header, bundle), *options.split_size));
        parts.emplace(options.output, *options.split_size, most);
    } else {
        AIRLOCK_TRY_ASSIGN(AtomicFile file, AtomicFile::create(options.output));
        whole.emplace(std::move(file));
    }
    AIRLOCK_TRY_ASSIGN(archive::TarWriter writer,
                       archive::TarWriter::create_to_sink(
                           [&](std::span<const char> data) {
                               return parts ? parts->write(data)
                                            : whole->write({data.data(), data.size()});
                           },
                           options.compression,
                           created));
    AIRLOCK_TRY(bundle::write_header(writer, header));
    std::uint64_t total = 0;
    for (const auto& blob : bundle.blobs) {
        total += blob.size;
    }
    PhaseProgress progress(reporter, "write", total, order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        auto copied = copy_blob(writer, *order[i], bundle.blobs[i], prefetch.live(), progress);
        if (!copied) {
            return std::unexpected(
                std::move(copied.error())
                    .with_context(str_cat("while writing ", options.output.string())));
        }
        progress.item_done();
    }
    progress.end();
    AIRLOCK_TRY(writer.finish());
    // Every layer was verified as it was written; a download that failed still fails the pack
    // before the bundle is switched in.
    AIRLOCK_TRY(prefetch.finish());
    if (parts) {
        AIRLOCK_TRY_ASSIGN(
            summary.parts,
            bundle::commit_parts(*parts, options.output, header.bundle_json, signer));
    } else {
        AIRLOCK_TRY(bundle::commit_whole(*whole, options.output));
    }
    summary.content_bytes = total;
    summary.bundle_bytes = writer.bytes_out();
    return {};
}

} // namespace

Result<TargetHoldings> load_holdings(const fs::path& path)
{
    TargetHoldings out;
    // An inventory is a JSON object; so is a split bundle's parts file, which names a bundle.
    bool inventory_file = false;
    if (!path.string().ends_with(".parts.json")) {
        if (auto probe = open_for_reading(path); probe) {
            std::array<char, 1> head{};
            AIRLOCK_TRY_ASSIGN(const std::size_t got_head, read_some(*probe, head, path.string()));
            inventory_file = got_head == 1 && head[0] == '{';
        }
    }
    if (!inventory_file) {
        // A previous bundle, whole or split (its name, its parts file or its first part):
        // what it delivered, and what it in turn required.
        auto reader = bundle::BundleReader::open(path, {});
        if (!reader && reader.error().code == Errc::format) {
            return std::unexpected(std::move(reader.error())
                                       .with_context(str_cat(path.string(),
                                                             " is neither an airlock bundle nor "
                                                             "an inventory (airlock inventory -o "
                                                             "FILE)")));
        }
        if (!reader) {
            return std::unexpected(
                std::move(reader.error()).with_context(str_cat("reading --since ", path.string())));
        }
        AIRLOCK_TRY(reader->parse_unauthenticated());
        const manifest::BundleManifest& previous = reader->header().manifest;
        for (const auto& b : previous.blobs) {
            out.digests.insert(b.digest);
        }
        for (const auto& b : previous.required) {
            out.digests.insert(b.digest);
        }
        out.description = str_cat("bundle sha256:",
                                  crypto::sha256_hex(reader->header().manifest_bytes),
                                  " created ",
                                  previous.created);
        return out;
    }
    AIRLOCK_TRY_ASSIGN(const std::string text, read_file(path, 256ULL << 20U));
    auto inventory = manifest::parse_inventory(text, path.string());
    if (!inventory) {
        return fail(Errc::format,
                    str_cat(path.string(),
                            " is neither an airlock bundle nor an inventory (airlock inventory -o "
                            "FILE): ",
                            inventory.error().message));
    }
    out.digests = std::move(inventory->blobs);
    out.description = str_cat("inventory of ", inventory->store);
    return out;
}

namespace {

// One bundle must not point a tag two ways: a source tag named twice for different images is
// an error; a derived version tag that collides is dropped from the later image.
Result<> resolve_tag_conflicts(std::vector<PlannedImage>& images, Reporter& reporter)
{
    std::map<std::string, std::string> owner; // "name:tag" -> digest
    for (auto& planned : images) {
        auto& image = planned.image;
        std::vector<std::string> kept;
        for (std::size_t i = 0; i < image.tags.size(); ++i) {
            const std::string ref = image.name + ":" + image.tags[i];
            const auto [it, inserted] = owner.emplace(ref, image.digest.str());
            if (inserted || it->second == image.digest.str()) {
                kept.push_back(image.tags[i]);
                continue;
            }
            // Tags someone named (source tag, image list tags) must not clash; a derived
            // version tag yields.
            const bool source_tag = image.tags[i] != image.version;
            if (source_tag) {
                return fail(Errc::usage,
                            str_cat(ref,
                                    " is named twice for different images (",
                                    it->second,
                                    " and ",
                                    image.digest.str(),
                                    ")"));
            }
            reporter.warn(str_cat(image.source,
                                  ": not tagging ",
                                  ref,
                                  ", which ",
                                  it->second,
                                  " in this bundle already has"));
        }
        image.tags = std::move(kept);
    }
    return {};
}

} // namespace

Result<PackSummary> pack(const PackOptions& options, Reporter& reporter)
{
    if (options.sources.empty()) {
        return fail(Errc::usage, "nothing to pack: name at least one image");
    }
    AIRLOCK_TRY_ASSIGN(const bundle::Signer signer, load_signer(options.sign_keys));
    AIRLOCK_TRY(reclaim_output(options.output, reporter));

    SourceFactory factory(options.registry, reporter);
    std::vector<std::unique_ptr<ImageSource>> sources;
    AIRLOCK_TRY_ASSIGN(std::vector<PlannedImage> images,
                       resolve_images(options, factory, sources, reporter));
    AIRLOCK_TRY(resolve_tag_conflicts(images, reporter));
    TargetHoldings holdings;
    if (!options.since.empty()) {
        AIRLOCK_TRY_ASSIGN(holdings, load_holdings(options.since));
    }
    manifest::BundleManifest bundle;
    bundle.since = holdings.description;
    AIRLOCK_TRY_ASSIGN(const std::vector<const PlannedBlob*> order,
                       plan_stream(images, holdings, bundle));
    AIRLOCK_TRY_ASSIGN(const std::unique_ptr<Prefetch> prefetch,
                       Prefetch::start(order, options.registry.jobs, factory, reporter));

    const std::int64_t created = bundle_time(options, images);
    AIRLOCK_TRY_ASSIGN(const bundle::HeaderEntries header,
                       make_header(options, signer, images, created, bundle));
    PackSummary summary;
    summary.signer_key_ids = signer.key_ids();
    auto written =
        write_bundle(options, signer, header, bundle, order, *prefetch, created, summary, reporter);
    if (!written) {
        prefetch->stop();
        // A layer abandoned because another download failed says only that it was stopped:
        // the download's own error is the one to report.
        if (written.error().code == Errc::cancelled && !cancel_requested()) {
            AIRLOCK_TRY(prefetch->finish());
        }
        return std::unexpected(std::move(written.error()));
    }
    summary.manifest = std::move(bundle);
    return summary;
}

} // namespace airlock::pack

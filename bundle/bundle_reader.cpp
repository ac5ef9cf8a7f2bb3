// SPDX-License-Identifier: Apache-2.0
//
// The one pass over a bundle that verify and import share. The stream is hostile until proven
// otherwise: entry names are never used as paths (blobs are addressed by their listed digest),
// and every entry must be a regular file whose name is one bundle.json expects, seen once, with
// the listed size; its bytes are hashed as they pass to the sink.

#include "blob_pipeline.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/bundle/cosignatures.hpp>
#include <airlock/bundle/file_names.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/crypto/sha256.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

namespace airlock::bundle {

namespace fs = std::filesystem;
using archive::EntryType;
using archive::TarEntry;

namespace {

// bundle.json of a 10,000-image catalog is about 10 MiB (docs/format.md).
constexpr std::uint64_t k_max_bundle_json = 16ULL << 20U;
constexpr std::uint64_t k_max_signatures_json = 1ULL << 20U;
constexpr std::uint64_t k_max_layout_file = 64ULL << 20U;

const char* type_name(EntryType type)
{
    switch (type) {
    case EntryType::directory:
        return "a directory";
    case EntryType::symlink:
        return "a symbolic link";
    case EntryType::hardlink:
        return "a hard link";
    case EntryType::other:
        return "a device or special file";
    case EntryType::regular:
        break;
    }
    return "a regular file";
}

// Refuses entries no bundle contains, with the reason a reader of the message needs.
Result<> check_entry_is_safe(const TarEntry& entry, const fs::path& bundle)
{
    if (entry.path.empty()) {
        return fail(Errc::unsafe_entry, str_cat(bundle.string(), ": entry with an empty name"));
    }
    if (entry.path.front() == '/') {
        return fail(Errc::unsafe_entry,
                    str_cat(bundle.string(), ": entry '", entry.path, "' has an absolute path"));
    }
    const fs::path p(entry.path);
    for (const auto& part : p) {
        if (part == "..") {
            return fail(
                Errc::unsafe_entry,
                str_cat(
                    bundle.string(), ": entry '", entry.path, "' contains '..' (path traversal)"));
        }
    }
    if (entry.type != EntryType::regular) {
        return fail(Errc::unsafe_entry,
                    str_cat(bundle.string(),
                            ": entry '",
                            entry.path,
                            "' is ",
                            type_name(entry.type),
                            "; bundles hold regular files only"));
    }
    return {};
}

Result<std::string> read_small_entry(archive::TarReader& reader,
                                     const TarEntry& entry,
                                     std::uint64_t limit,
                                     const fs::path& bundle)
{
    if (entry.size > limit) {
        return fail(Errc::format,
                    str_cat(bundle.string(),
                            ": ",
                            entry.path,
                            " is ",
                            entry.size,
                            " bytes, more than the limit of ",
                            limit));
    }
    std::string data(entry.size, '\0');
    std::size_t got = 0;
    while (got < data.size()) {
        AIRLOCK_TRY_ASSIGN(const std::size_t n,
                           reader.read(std::span<char>(data.data() + got, data.size() - got)));
        if (n == 0) {
            return fail(Errc::format, str_cat(bundle.string(), ": ", entry.path, " is truncated"));
        }
        got += n;
    }
    return data;
}

Result<TarEntry>
expect_entry(archive::TarReader& reader, std::string_view name, const fs::path& bundle)
{
    AIRLOCK_TRY_ASSIGN(const std::optional<TarEntry> entry, reader.next());
    if (!entry) {
        return fail(Errc::format,
                    str_cat(bundle.string(), ": ends before ", name, "; not an airlock bundle"));
    }
    AIRLOCK_TRY(check_entry_is_safe(*entry, bundle));
    if (entry->path != name) {
        return fail(Errc::format,
                    str_cat(bundle.string(),
                            ": entry '",
                            entry->path,
                            "' where ",
                            name,
                            " must be; not an airlock bundle"));
    }
    return *entry;
}

// bundle.json and the signatures, which lead every bundle's stream.
Result<BundleHeader> read_header(archive::TarReader& reader, const fs::path& path)
{
    BundleHeader header;
    AIRLOCK_TRY_ASSIGN(const TarEntry manifest_entry,
                       expect_entry(reader, manifest::k_bundle_manifest_name, path));
    AIRLOCK_TRY_ASSIGN(header.manifest_bytes,
                       read_small_entry(reader, manifest_entry, k_max_bundle_json, path));
    AIRLOCK_TRY_ASSIGN(const TarEntry sig_entry,
                       expect_entry(reader, manifest::k_signatures_name, path));
    AIRLOCK_TRY_ASSIGN(const std::string sig_bytes,
                       read_small_entry(reader, sig_entry, k_max_signatures_json, path));
    auto signatures = manifest::parse_signatures(sig_bytes);
    if (!signatures) {
        return std::unexpected(
            std::move(signatures.error()).with_context(str_cat("in ", path.string())));
    }
    header.signatures = std::move(*signatures);
    return header;
}

} // namespace

BundleReader::BundleReader(fs::path path,
                           archive::TarReader reader,
                           BundleHeader header,
                           std::optional<PartsSet> parts)
    : m_path(std::move(path))
    , m_parts(std::move(parts))
    , m_reader(std::move(reader))
    , m_header(std::move(header))
{
}

Result<BundleReader> BundleReader::open(const fs::path& path)
{
    return open(path, {});
}

Result<BundleReader> BundleReader::open(const fs::path& path,
                                        const std::vector<fs::path>& parts_dirs,
                                        PartsNeeded needed)
{
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        return fail(Errc::usage,
                    str_cat(path.string(),
                            " is a directory, not an airlock bundle (give the bundle file, its "
                            "parts file or one of its parts)"));
    }
    AIRLOCK_TRY_ASSIGN(std::optional<PartsSet> parts, find_parts(path, parts_dirs));
    std::string first_absent; // of the parts after those read (PartsNeeded::leading)
    const auto open_stream = [&]() -> Result<archive::TarReader> {
        if (!parts) {
            return archive::TarReader::open(path);
        }
        AIRLOCK_TRY_ASSIGN(const std::vector<fs::path> files, complete_parts(*parts, needed));
        if (files.size() < parts->file.manifest.parts.size()) {
            first_absent = parts->file.manifest.parts[files.size()].name;
        }
        return archive::TarReader::open_parts(files);
    };
    // Leading parts only, and the stream ran out in them: the part needed next is named.
    const auto cut_short = [&] {
        return Error{Errc::not_found,
                     str_cat("the header of ",
                             parts->file.manifest.bundle,
                             " continues into part ",
                             first_absent,
                             ", which is not here (give the directory that holds it with "
                             "--parts-dir)"),
                     {}};
    };
    Result<archive::TarReader> opened = open_stream();
    if (!opened && !first_absent.empty()) {
        return std::unexpected(cut_short());
    }
    if (!opened) {
        if (opened.error().code == Errc::format) {
            return std::unexpected(std::move(opened.error()).with_context("not an airlock bundle"));
        }
        return std::unexpected(std::move(opened.error()));
    }
    archive::TarReader reader = std::move(*opened);
    auto header = read_header(reader, path);
    if (!header && !first_absent.empty()) {
        return std::unexpected(cut_short());
    }
    if (!header) {
        return std::unexpected(std::move(header.error()));
    }
    header->cosignature_file = parts ? cosignature_path(*parts) : cosignature_path(path);
    AIRLOCK_TRY_ASSIGN(manifest::Cosignatures cosignatures,
                       read_cosignatures(header->cosignature_file));
    header->cosignatures = add_signatures(header->signatures, std::move(cosignatures.bundle));
    return BundleReader(path, std::move(reader), std::move(*header), std::move(parts));
}

Result<SignatureCheck> BundleReader::authenticate(const TrustedKeys& trusted, std::size_t required)
{
    AIRLOCK_TRY_ASSIGN(SignatureCheck check,
                       check_signatures(m_header.manifest_bytes,
                                        m_header.signatures,
                                        trusted,
                                        required,
                                        manifest::k_bundle_manifest_name));
    AIRLOCK_TRY(parse_unauthenticated());
    return check;
}

Result<> BundleReader::parse_unauthenticated()
{
    if (m_parsed) {
        return {};
    }
    auto parsed = manifest::parse_bundle_manifest(m_header.manifest_bytes);
    if (!parsed) {
        return std::unexpected(
            std::move(parsed.error()).with_context(str_cat("in ", m_path.string())));
    }
    m_header.manifest = std::move(*parsed);
    m_parsed = true;
    return {};
}

namespace {

// After each entry, whether the pass reads the next one.
enum class Pass { go_on, stop };

Pass go_on_if(bool running)
{
    return running ? Pass::go_on : Pass::stop;
}

// How much a problem spoils the rest of the stream.
enum class Problem {
    mismatch,     // listed content that does not hash as listed: the rest is still worth reading
    cannot_belong // an entry no signed bundle holds: what follows is not worth reading (it may
                  // be a million more such entries, or gigabytes to decompress only to skip)
};

// The producer side of the pass: decodes entries, refuses what bundle.json does not expect and
// hands blob bytes to the pipeline in whole chunks. An error is a stream the pass cannot go on
// reading; a problem goes to the pipeline, and once the pass stops early finish() tells why.
class EntryFeed
{
  public:
    EntryFeed(archive::TarReader& reader,
              const fs::path& path,
              const manifest::BundleManifest& manifest,
              BlobPipeline& pipeline,
              OnMismatch mode)
        : m_reader(reader)
        , m_path(path)
        , m_manifest(manifest)
        , m_pipeline(pipeline)
        , m_mode(mode)
    {
        for (const auto& blob : manifest.blobs) {
            m_blobs.emplace(blob.digest.layout_path(), &blob);
        }
        for (const auto& file : manifest.layout_files) {
            m_layout_files.emplace(file.path, &file);
        }
    }

    // Every entry in stream order, then every listed one that never came.
    Result<> run()
    {
        while (true) {
            AIRLOCK_TRY(check_cancel());
            AIRLOCK_TRY_ASSIGN(const std::optional<TarEntry> entry, m_reader.next());
            if (!entry) {
                break;
            }
            AIRLOCK_TRY_ASSIGN(const Pass pass, take(*entry));
            if (pass == Pass::stop) {
                return {};
            }
        }
        report_missing();
        return {};
    }

  private:
    // Hands `error` to the pipeline; the pass goes on only after a mismatch while collecting.
    Pass report(Error error, Problem kind)
    {
        const bool running = m_pipeline.problem(std::move(error));
        return go_on_if(running && kind == Problem::mismatch && m_mode == OnMismatch::collect);
    }

    // An Error whose message begins with the bundle's path.
    Error bundle_error(Errc code, std::string_view message) const
    {
        return Error{code, str_cat(m_path.string(), ": ", message), {}};
    }

    // Tells what `entry` is by its name and size, and reads it as that.
    Result<Pass> take(const TarEntry& entry)
    {
        if (auto safe = check_entry_is_safe(entry, m_path); !safe) {
            return report(std::move(safe.error()), Problem::cannot_belong);
        }
        if (!m_seen.insert(entry.path).second) {
            return report(bundle_error(Errc::format, str_cat("duplicate entry '", entry.path, "'")),
                          Problem::cannot_belong);
        }
        if (const auto file = m_layout_files.find(entry.path); file != m_layout_files.end()) {
            return check_layout_file(entry, *file->second);
        }
        const auto listed = m_blobs.find(entry.path);
        if (listed == m_blobs.end()) {
            return report(
                bundle_error(Errc::format,
                             entry.path.starts_with("blobs/")
                                 ? str_cat("blob ", entry.path, " is not listed in bundle.json")
                                 : str_cat("unexpected entry '", entry.path, "'")),
                Problem::cannot_belong);
        }
        const manifest::BundleBlob& blob = *listed->second;
        if (entry.size != blob.size) {
            return report(bundle_error(Errc::digest_mismatch,
                                       str_cat("blob ",
                                               blob.digest.str(),
                                               " has ",
                                               entry.size,
                                               " bytes in the stream, bundle.json says ",
                                               blob.size)),
                          Problem::cannot_belong);
        }
        return stream_blob(blob);
    }

    // Reads a small layout file whole and compares it with what bundle.json lists.
    Result<Pass> check_layout_file(const TarEntry& entry, const manifest::LayoutFile& file)
    {
        AIRLOCK_TRY_ASSIGN(const std::string content,
                           read_small_entry(m_reader, entry, k_max_layout_file, m_path));
        if (content.size() == file.size && crypto::sha256_hex(content) == file.digest.hex()) {
            return Pass::go_on;
        }
        return report(
            bundle_error(Errc::digest_mismatch, str_cat(entry.path, " does not match bundle.json")),
            Problem::mismatch);
    }

    // Passes the blob's bytes to the pipeline in whole chunks (but the last), which keeps the
    // sink's writes page-aligned for direct I/O.
    Result<Pass> stream_blob(const manifest::BundleBlob& blob)
    {
        if (!m_pipeline.begin(blob)) {
            return Pass::stop;
        }
        std::uint64_t got = 0;
        while (got < blob.size) {
            AIRLOCK_TRY(check_cancel());
            std::optional<BlobPipeline::Chunk> chunk = m_pipeline.free_chunk();
            if (!chunk) {
                return Pass::stop;
            }
            const std::size_t want = static_cast<std::size_t>(
                std::min<std::uint64_t>(chunk->buffer.size(), blob.size - got));
            AIRLOCK_TRY(fill(*chunk, want, blob));
            got += chunk->size;
            if (!m_pipeline.data(std::move(*chunk))) {
                return Pass::stop;
            }
        }
        return go_on_if(m_pipeline.end());
    }

    // Reads until `chunk` holds `want` bytes of `blob`. Errc::format when the stream ends first.
    Result<> fill(BlobPipeline::Chunk& chunk, std::size_t want, const manifest::BundleBlob& blob)
    {
        while (chunk.size < want) {
            AIRLOCK_TRY_ASSIGN(
                const std::size_t n,
                m_reader.read(chunk.buffer.span().subspan(chunk.size, want - chunk.size)));
            if (n == 0) {
                return fail(
                    Errc::format,
                    str_cat(m_path.string(), ": blob ", blob.digest.str(), " is truncated"));
            }
            chunk.size += n;
        }
        return {};
    }

    // Reports each listed file and blob the stream did not hold, until the pipeline stops.
    void report_missing()
    {
        for (const auto& file : m_manifest.layout_files) {
            if (m_seen.contains(file.path)) {
                continue;
            }
            const std::string message = str_cat("listed file ", file.path, " is missing");
            if (report(bundle_error(Errc::format, message), Problem::mismatch) == Pass::stop) {
                return;
            }
        }
        for (const auto& blob : m_manifest.blobs) {
            if (m_seen.contains(blob.digest.layout_path())) {
                continue;
            }
            const std::string message = str_cat("listed blob ", blob.digest.str(), " is missing");
            if (report(bundle_error(Errc::format, message), Problem::mismatch) == Pass::stop) {
                return;
            }
        }
    }

    archive::TarReader& m_reader;
    const fs::path& m_path;
    const manifest::BundleManifest& m_manifest;
    BlobPipeline& m_pipeline;
    OnMismatch m_mode;
    // Listed entries by their path in the stream, which is all a tar entry has to go by.
    std::map<std::string, const manifest::BundleBlob*> m_blobs;
    std::map<std::string, const manifest::LayoutFile*> m_layout_files;
    std::set<std::string> m_seen{std::string(manifest::k_bundle_manifest_name),
                                 std::string(manifest::k_signatures_name)};
};

} // namespace

Result<ContentReport> BundleReader::read_contents(BlobSink& sink,
                                                  OnMismatch mode,
                                                  Reporter& reporter,
                                                  std::string_view phase)
{
    if (!m_parsed) {
        return fail(Errc::internal, "bundle contents read before bundle.json was checked");
    }
    std::uint64_t total = 0;
    for (const auto& blob : m_header.manifest.blobs) {
        total += blob.size;
    }
    BlobPipeline pipeline(
        sink, mode, reporter, m_path.string(), phase, total, m_header.manifest.blobs.size());
    auto fed = EntryFeed(m_reader, m_path, m_header.manifest, pipeline, mode).run();
    return pipeline.finish(fed ? std::nullopt : std::optional<Error>(std::move(fed.error())));
}

} // namespace airlock::bundle

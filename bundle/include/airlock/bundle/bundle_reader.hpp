// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/archive/tar_reader.hpp>
#include <airlock/base/error.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/bundle/parts.hpp>
#include <airlock/bundle/trust.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace airlock::bundle {

// The signed table of contents, read from the first two entries of a bundle.
struct BundleHeader
{
    std::string manifest_bytes;        // exact bytes of bundle.json: what signatures cover
    manifest::BundleManifest manifest; // parsed only once the reader was authenticated
    std::vector<manifest::Signature> signatures; // embedded, then co-signatures
    std::size_t cosignatures = 0;                // how many came from BUNDLE.cosign.json
    std::filesystem::path cosignature_file;      // where co-signatures of this bundle live
};

// Receives each listed blob's bytes, in stream order, with the verdict of its hash at end().
// All calls come from one thread of the pass, not the caller's (and so may the Reporter's
// calls during the pass); the caller reads the sink again once read_contents has returned.
class BlobSink
{
  public:
    virtual ~BlobSink() = default;

    // A listed blob starts; its tar header size already matched the listed size.
    virtual Result<> begin(const manifest::BundleBlob& blob) = 0;

    virtual Result<> write(std::span<const char> data) = 0;

    // The blob ended; `verified` tells whether its digest and size matched.
    virtual Result<> end(bool verified) = 0;
};

// What to do on a blob that does not match bundle.json.
enum class OnMismatch {
    stop,    // return the first problem (import)
    collect, // go on and report every problem (verify)
};

// How many problems verify keeps and shows; the rest are only counted.
inline constexpr std::size_t k_max_kept_problems = 100;

struct ContentReport
{
    std::vector<Error> problems;         // only with OnMismatch::collect: the first ones
    std::uint64_t problems_not_kept = 0; // problems beyond k_max_kept_problems
    std::uint64_t blobs = 0;
    std::uint64_t blob_bytes = 0;
};

// Reads a bundle in one pass: the header first, then (on request) every other entry, each
// checked against bundle.json: only regular files at expected paths, each once, with the
// listed size and digest, and every listed blob present.
//
// bundle.json is kept as raw bytes until its signature is checked (authenticate): nothing an
// unsigned document says is parsed, so a hostile one costs no more than its capped size.
class BundleReader
{
  public:
    // Opens `path` and reads the bytes of bundle.json and the signatures (embedded and from the
    // co-signature file). Errc::format when the file is not an airlock bundle.
    static Result<BundleReader> open(const std::filesystem::path& path);

    // Same, where `path` may also be a parts file or a part of a split bundle; the parts are
    // found beside it and in `parts_dirs`, and read as one stream.
    // With PartsNeeded::leading the parts after the first missing one are not needed: enough
    // for the header (inspect); the stream then ends early there.
    static Result<BundleReader> open(const std::filesystem::path& path,
                                     const std::vector<std::filesystem::path>& parts_dirs,
                                     PartsNeeded needed = PartsNeeded::all);

    // Checks the signatures over the raw bundle.json (see check_signatures), and only then
    // parses it. Errc::signature_invalid; Errc::format / unsupported for the document.
    Result<SignatureCheck> authenticate(const TrustedKeys& trusted, std::size_t required = 1);

    // Parses bundle.json without checking who signed it: for showing what a bundle claims
    // (inspect) and for an import told to skip the check.
    Result<> parse_unauthenticated();

    // The header; `manifest` is empty until authenticate or parse_unauthenticated succeeded.
    const BundleHeader& header() const
    {
        return m_header;
    }

    const std::filesystem::path& path() const
    {
        return m_path;
    }

    // The parts of a split bundle, as found when it was opened; nothing for a whole bundle.
    const std::optional<PartsSet>& parts() const
    {
        return m_parts;
    }

    // Streams every remaining entry into `sink`. With OnMismatch::stop the first problem is the
    // error; with ::collect mismatches of listed content (a blob or layout file whose bytes do
    // not hash as listed) are gathered in the report, and the pass ends early at stream damage
    // (truncation, corruption) and at the first entry that cannot belong to the signed bundle
    // (unlisted, duplicate, unsafe, or of another size than listed), which is reported too.
    // Progress is reported as `phase` (a literal: "verify", "import").
    Result<ContentReport>
    read_contents(BlobSink& sink, OnMismatch mode, Reporter& reporter, std::string_view phase);

  private:
    BundleReader(std::filesystem::path path,
                 archive::TarReader reader,
                 BundleHeader header,
                 std::optional<PartsSet> parts);

    std::filesystem::path m_path;
    std::optional<PartsSet> m_parts;
    archive::TarReader m_reader;
    BundleHeader m_header;
    bool m_parsed = false;
};

} // namespace airlock::bundle

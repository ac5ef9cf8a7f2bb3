// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/manifest/digest.hpp>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::manifest {

inline constexpr std::string_view k_bundle_manifest_name = "bundle.json";
inline constexpr std::string_view k_signatures_name = "signatures.json";
inline constexpr std::string_view k_bundle_format = "airlock-bundle";
inline constexpr int k_bundle_format_version = 1;

// The records below have no default digest (Digest has no empty value): one made without its
// digest does not compile, rather than naming a blob of zeros.

// A blob in the bundle's stream (or, for `required`, one the target must already hold).
struct BundleBlob
{
    Digest digest;
    std::uint64_t size = 0;
    std::string media_type;
};

// A non-blob file of the embedded OCI layout (oci-layout, index.json, manifest.json).
struct LayoutFile
{
    std::string path;
    Digest digest;
    std::uint64_t size = 0;
};

// One image of the bundle and the tags an import applies to it.
// A vendor's signature on one of an image's manifests, carried as a blob of the bundle
// (media type media_type::simple_signing): what `skopeo copy --sign-by` writes to a lookaside
// store as REPO@sha256=HEX/signature-N, the bytes unchanged.
struct ImageSignature
{
    Digest manifest; // the manifest or index digest it signs (the image's, or a platform's)
    Digest digest;   // of the signature blob
    std::uint64_t size = 0;
};

// The vendor key pack checked an image's signature against (--require-source-signature).
struct SignatureCheck
{
    Digest manifest;
    std::string key; // the key's fingerprint as the signing tool names it
};

// An artifact a vendor attached to one of an image's manifests in its registry, carried with its
// blobs (the manifest, its config and layers are blobs of the bundle): a sigstore signature,
// attestation or SBOM under the tag `sha256-HEX.sig` / `.att` / `.sbom` of the subject's
// repository, or an OCI 1.1 referrer (a manifest whose `subject` is the image's).
struct ImageAttachment
{
    Digest subject; // the manifest or index it is attached to (the image's, or a platform's)
    Digest digest;  // of the attachment's manifest
    std::string media_type;
    std::uint64_t size = 0;
    std::string artifact_type; // the referrer's artifactType (or its config's media type)
    std::string tag;           // "sha256-HEX.sig" and the like; empty for a referrer
};

// The tag sigstore tools give an attachment of `subject`: "sha256-HEX.SUFFIX", or for the OCI
// 1.1 referrers tag fallback "sha256-HEX" (empty suffix).
std::string attachment_tag(const Digest& subject, std::string_view suffix);

// Whether `tag` is one attachment_tag gives (any subject, any kind, the referrers tag
// included): a tag that belongs to the image it names, not a version of its own.
bool is_attachment_tag(std::string_view tag);

// An attachment as bundle.json lists it: subject, digest, mediaType, size, and artifactType and
// tag when set (inspect's JSON adds its kind).
nlohmann::json attachment_to_json(const ImageAttachment& attachment);

// The digest a manifest's `subject` names (what it is attached to); nothing when `manifest` has
// no subject, or one that is not a descriptor with a valid digest.
std::optional<Digest> manifest_subject(const nlohmann::json& manifest);

// The sigstore attachment kinds, as tag suffixes.
inline constexpr std::array<std::string_view, 3> k_attachment_suffixes = {"sig", "att", "sbom"};

struct BundleImage
{
    std::string source;            // what was packed: "oci:DIR:REF", "docker.io/..."
    std::string name;              // repository, fully qualified: "localhost/sample"
    std::vector<std::string> tags; // source tag and version tag, no "latest"
    std::string version;           // empty when the image declares none
    Digest digest;                 // manifest or index
    std::string media_type;
    std::uint64_t size = 0;                     // of the manifest or index document
    std::vector<std::string> platforms;         // "linux/amd64", "windows/amd64:10.0.20348.2849"
    std::string created;                        // newest config "created" among its platforms
    std::uint64_t total_size = 0;               // all blobs of the image, each counted once
    std::vector<ImageSignature> signatures{};   // vendors' signatures carried with it
    std::vector<SignatureCheck> verified_by{};  // pack checked these before packing
    std::vector<ImageAttachment> attachments{}; // sigstore attachments and OCI referrers
};

// bundle.json: everything an importer needs to decide before reading a single layer.
struct BundleManifest
{
    int format_version = k_bundle_format_version;
    std::string created; // RFC 3339 UTC
    std::string tool;    // "airlock 0.1.0"
    std::string channel;
    std::optional<std::uint64_t> sequence;
    std::string expires;
    std::vector<BundleImage> images;
    std::vector<LayoutFile> layout_files; // in stream order, before the blobs
    std::vector<BundleBlob> blobs;        // in stream order
    std::vector<BundleBlob> required;     // differential bundles: blobs the target must hold
    std::string
        since; // differential bundles: what the target was assumed to hold ("bundle sha256:...")

    // The listed blob with `digest`, or nullptr.
    const BundleBlob* find_blob(const Digest& digest) const;
};

struct Descriptor;

// The OCI index.json entry that names `image` as `ref_name` ("repository:tag"): its digest,
// media type and size, with the reference in both `org.opencontainers.image.ref.name` and
// `io.containerd.image.name` (what skopeo, podman and containerd look up) and its version.
Descriptor tagged_descriptor(const BundleImage& image, const std::string& ref_name);

// The canonical JSON bytes of `manifest` (what signatures cover). Errc::format.
Result<std::string> bundle_manifest_to_json(const BundleManifest& manifest);

// Parses and validates bundle.json: format name and version, digests, unique blobs, images whose
// digests are listed. Errc::format / Errc::unsupported naming the problem.
Result<BundleManifest> parse_bundle_manifest(std::string_view bytes);

// One signature over the exact bytes of bundle.json.
struct Signature
{
    std::string algorithm; // "ed25519" / "ecdsa-p256"
    std::string key_id;    // "sha256:<hex of the public key's DER>"
    std::string value;     // raw signature bytes
};

// signatures.json as canonical JSON (values in base64). Errc::format.
Result<std::string> signatures_to_json(const std::vector<Signature>& signatures);

// Parses signatures.json. Errc::format.
Result<std::vector<Signature>> parse_signatures(std::string_view bytes);

// BUNDLE.cosign.json: signatures added after packing (`airlock sign`). `bundle` sign the exact
// bytes of bundle.json, as signatures.json does; `parts` sign a split bundle's parts manifest,
// as the signatures in BUNDLE.parts.json do, so that each stick can be checked on its own.
struct Cosignatures
{
    std::vector<Signature> bundle; // "signatures"
    std::vector<Signature> parts;  // "partsSignatures", empty for a bundle in one file
};

// BUNDLE.cosign.json as canonical JSON ("partsSignatures" only when there are some).
Result<std::string> cosignatures_to_json(const Cosignatures& cosignatures);

// Parses BUNDLE.cosign.json; a file with only "signatures" is a valid one. Errc::format.
Result<Cosignatures> parse_cosignatures(std::string_view bytes);

} // namespace airlock::manifest

// SPDX-License-Identifier: Apache-2.0
//
// A simple-signing signature is an OpenPGP message whose literal data is a JSON payload:
//   {"critical": {"type": "atomic container signature",
//                 "image": {"docker-manifest-digest": "sha256:..."},
//                 "identity": {"docker-reference": "registry.example.com/ns/app:1.0"}}, ...}
// gpgv (Debian's, the verifier GnuPG ships for exactly this) checks the OpenPGP signature
// against the given keyring and hands back the payload and the signing key's fingerprint; the
// payload is then held to the digest being packed and the image's repository, as
// containers/image's signedBy does. gpgv over gpgme: one small program, no agent, no home.

#include "source_signatures.hpp"

#include <airlock/base/encoding.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/keys.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/reference.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

namespace airlock::pack {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::uint64_t k_max_key_file = 16ULL << 20U;
// The payload types of a simple-signing signature and of a sigstore (cosign) one: the same
// JSON, one word apart.
constexpr std::string_view k_simple_signing_type = "atomic container signature";
constexpr std::string_view k_cosign_type = "cosign container image signature";
// Where cosign keeps a signature: the base64 of the signature over the layer's bytes (the
// payload), as an annotation of that layer of the sha256-HEX.sig manifest.
constexpr std::string_view k_cosign_annotation = "dev.cosignproject.cosign/signature";
constexpr std::uint64_t k_max_payload = 256ULL << 10U;

// What one gpgv run said: the fingerprint of a good signature and the payload, or why not.
struct GpgvResult
{
    std::string fingerprint; // empty: not a valid signature by this keyring
    std::string payload;
    std::string problem;
};

Result<GpgvResult>
run_gpgv(const fs::path& keyring, const std::string& signature, const fs::path& scratch)
{
    const fs::path payload_file = scratch / "payload";
    std::error_code ec;
    fs::remove(payload_file, ec);
    auto child = ChildProcess::spawn({"gpgv",
                                      "--quiet",
                                      "--status-fd",
                                      "1",
                                      "--keyring",
                                      fs::absolute(keyring).string(),
                                      "--output",
                                      payload_file.string()});
    if (!child) {
        if (child.error().code == Errc::not_found) {
            return fail(Errc::not_found,
                        "gpgv is not installed (--require-source-signature checks OpenPGP "
                        "signatures with it: apt-get install gpgv)");
        }
        return std::unexpected(std::move(child.error()));
    }
    AIRLOCK_TRY(child->write(signature));
    auto status = child->finish();
    GpgvResult result;
    if (!status) {
        result.problem = "not a valid signature by the key";
        return result;
    }
    // As containers/image reads it: exactly one signature, good, by a key that has neither
    // expired nor been revoked (gpgv exits 0 for those too, and says so only here).
    std::istringstream lines(*status);
    std::string line;
    int signatures = 0;
    bool good = false;
    std::string spoiled;
    while (std::getline(lines, line)) {
        if (!line.starts_with("[GNUPG:] ")) {
            continue;
        }
        std::istringstream fields(line.substr(9));
        std::string keyword;
        fields >> keyword;
        if (keyword == "NEWSIG") {
            ++signatures;
        } else if (keyword == "GOODSIG") {
            good = true;
        } else if (keyword == "VALIDSIG") {
            fields >> result.fingerprint;
        } else if (keyword == "EXPKEYSIG" || keyword == "REVKEYSIG" || keyword == "EXPSIG"
                   || keyword == "BADSIG" || keyword == "ERRSIG") {
            spoiled = keyword;
        }
    }
    if (!spoiled.empty()) {
        result.fingerprint.clear();
        result.problem = spoiled == "EXPKEYSIG"   ? "signed by a key that has expired"
                         : spoiled == "REVKEYSIG" ? "signed by a key that was revoked"
                         : spoiled == "EXPSIG"    ? "the signature has expired"
                                                  : "not a valid signature by the key";
        return result;
    }
    if (signatures != 1 || !good || result.fingerprint.empty()) {
        result.fingerprint.clear();
        result.problem = signatures > 1 ? "more than one signature in one file"
                                        : "not a valid signature by the key";
        return result;
    }
    AIRLOCK_TRY_ASSIGN(result.payload, read_file(payload_file, 4ULL << 20U));
    return result;
}

// Why `payload` does not vouch for `digest` of `repository`; empty when it does.
std::string payload_problem(const std::string& payload,
                            std::string_view kind,
                            const manifest::Digest& digest,
                            const std::string& repository,
                            const std::string& tag)
{
    const auto doc = manifest::parse_bounded_json(payload, "signature payload");
    if (!doc || !doc->is_object()) {
        return "its payload is not a JSON object";
    }
    const auto critical = doc->find("critical");
    if (critical == doc->end() || !critical->is_object()) {
        return "its payload has no \"critical\" section";
    }
    const auto type = critical->find("type");
    if (type == critical->end() || *type != kind) {
        return str_cat("its payload is not an ", kind);
    }
    const auto image = critical->find("image");
    if (image == critical->end() || !image->is_object()
        || !image->contains("docker-manifest-digest")
        || (*image)["docker-manifest-digest"] != digest.str()) {
        return "it signs another manifest digest";
    }
    const auto identity = critical->find("identity");
    if (identity == critical->end() || !identity->is_object()
        || !identity->contains("docker-reference")
        || !(*identity)["docker-reference"].is_string()) {
        return "its payload names no docker-reference";
    }
    const std::string vouched = (*identity)["docker-reference"].get<std::string>();
    const auto signed_ref = manifest::Reference::parse(vouched);
    const auto packed = manifest::Reference::parse(repository);
    if (!signed_ref || !packed || signed_ref->name() != packed->name()) {
        return str_cat("it vouches for ", vouched);
    }
    // containers/image's matchRepoDigestOrExact: a signed tag must be the tag packed, and a
    // reference naming neither tag nor digest vouches for nothing. cosign's payloads name the
    // repository only (cosign verify checks the digest): for those, the digest is the claim.
    // Parsing gives a bare name "latest", so the text says whether a tag was signed.
    const std::size_t last_slash = vouched.rfind('/');
    const bool names_tag =
        vouched.find(':', last_slash == std::string::npos ? 0 : last_slash) != std::string::npos;
    const bool names_digest = !signed_ref->digest().empty();
    if (!names_tag && !names_digest && kind != k_cosign_type) {
        return str_cat("it vouches for ", vouched, ", a name without a tag or digest");
    }
    if (names_tag && !names_digest && signed_ref->tag() != tag) {
        return str_cat("it vouches for ", vouched, ", another tag");
    }
    return {};
}

// One cosign signature of `planned` (a layer of a .sig attachment of `manifest`): why it does
// not vouch for the image by `key`, or empty when it does.
Result<std::string> cosign_problem(const PlannedImage& planned,
                                   const PlannedBlob& layer,
                                   const crypto::PublicKey& key,
                                   const std::string& source_tag)
{
    const manifest::Descriptor& d = layer.descriptor;
    const std::string encoded = d.annotation(k_cosign_annotation);
    if (encoded.empty()) {
        return std::string("no cosign signature annotation");
    }
    if (d.size > k_max_payload) {
        return str_cat("a payload of ", d.size, " bytes");
    }
    std::string payload;
    for (int attempt = 0;; ++attempt) {
        AIRLOCK_TRY_ASSIGN(const fs::path file, layer.source->blob_file(d));
        AIRLOCK_TRY_ASSIGN(payload, read_file(file, k_max_payload));
        if (manifest::Digest::sha256(crypto::sha256_hex(payload)) == d.digest) {
            break;
        }
        // A cached copy a power failure damaged is fetched again, once; a source that serves
        // wrong bytes is refused.
        if (attempt > 0 || !layer.source->discard_cached(d)) {
            return std::string("its payload does not match its digest");
        }
    }
    const auto signature = base64_decode(encoded);
    if (!signature || !key.verify(payload, *signature)) {
        return std::string("not a valid signature by the key");
    }
    return payload_problem(
        payload, k_cosign_type, planned.image.digest, planned.image.name, source_tag);
}

// The layers of the image's sigstore signature attachments (sha256-HEX.sig of its digest).
std::vector<const PlannedBlob*> cosign_layers(const PlannedImage& planned)
{
    std::vector<const PlannedBlob*> out;
    for (const auto& attachment : planned.image.attachments) {
        if (attachment.subject != planned.image.digest || !attachment.tag.ends_with(".sig")) {
            continue;
        }
        const auto at =
            std::find_if(planned.blobs.begin(), planned.blobs.end(), [&](const PlannedBlob& b) {
                return b.descriptor.digest == attachment.digest && b.role == BlobRole::document;
            });
        if (at == planned.blobs.end()) {
            continue;
        }
        auto bytes = at->source->fetch_document(at->descriptor);
        auto parsed = bytes ? manifest::parse_image_manifest(*bytes, attachment.media_type)
                            : Result<manifest::ImageManifest>(std::unexpected(bytes.error()));
        if (!parsed) {
            continue;
        }
        for (const auto& layer : parsed->layers) {
            const auto blob =
                std::find_if(planned.blobs.begin(), planned.blobs.end(), [&](const PlannedBlob& b) {
                    return b.descriptor.digest == layer.digest && b.role == BlobRole::layer
                           && b.descriptor.annotations == layer.annotations;
                });
            if (blob != planned.blobs.end()) {
                out.push_back(&*blob);
            }
        }
    }
    return out;
}

} // namespace

Result<std::vector<SourceKey>> load_source_keys(const std::vector<fs::path>& files)
{
    std::vector<SourceKey> keys;
    for (const auto& file : files) {
        AIRLOCK_TRY_ASSIGN(const std::string bytes, read_file(file, k_max_key_file));
        if (bytes.starts_with("-----BEGIN PGP")) {
            return fail(Errc::usage,
                        str_cat("--require-source-signature ",
                                file.string(),
                                ": an armored OpenPGP key; give it in binary form "
                                "(gpg --dearmor < KEY.asc > KEY.gpg)"));
        }
        if (bytes.starts_with("-----BEGIN PUBLIC KEY-----")) {
            keys.push_back({SourceKey::Kind::sigstore, file});
        } else if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80U) != 0) {
            keys.push_back({SourceKey::Kind::gpg, file}); // an OpenPGP packet
        } else {
            return fail(Errc::usage,
                        str_cat("--require-source-signature ",
                                file.string(),
                                ": neither an OpenPGP public key (binary) nor a PEM public key"));
        }
    }
    return keys;
}

Result<> require_source_signature(PlannedImage& planned, const std::vector<SourceKey>& keys)
{
    const manifest::BundleImage& image = planned.image;
    // The tag the source named (image.tags starts with it), empty when packed by digest.
    const auto source_ref = manifest::Reference::parse(
        image.source.starts_with("docker://") ? image.source.substr(9) : image.source);
    const std::string source_tag =
        source_ref && !source_ref->tag().empty() && source_ref->digest().empty() ? source_ref->tag()
                                                                                 : std::string();
    AIRLOCK_TRY(make_directories(cache_dir()));
    AIRLOCK_TRY_ASSIGN(const ScopedDirectory scratch,
                       ScopedDirectory::create_unique(cache_dir(), "signature-check-"));
    std::vector<std::string> problems;
    for (const auto& sig : image.signatures) {
        if (sig.manifest != image.digest) {
            continue; // a platform's: the check is of what the tags point at
        }
        const auto blob =
            std::find_if(planned.blobs.begin(), planned.blobs.end(), [&](const PlannedBlob& b) {
                return b.descriptor.digest == sig.digest && b.content;
            });
        if (blob == planned.blobs.end()) {
            continue;
        }
        for (const auto& key : keys) {
            if (key.kind != SourceKey::Kind::gpg) {
                continue; // checked against the sigstore signatures below
            }
            AIRLOCK_TRY_ASSIGN(const GpgvResult result,
                               run_gpgv(key.file, *blob->content, scratch.path()));
            std::string problem = result.problem;
            if (problem.empty()) {
                problem = payload_problem(
                    result.payload, k_simple_signing_type, image.digest, image.name, source_tag);
            }
            if (problem.empty()) {
                planned.image.verified_by.push_back({image.digest, result.fingerprint});
                return {};
            }
            problems.push_back(str_cat(sig.digest.str().substr(0, 19),
                                       " and ",
                                       key.file.filename().string(),
                                       ": ",
                                       problem));
        }
    }
    const std::vector<const PlannedBlob*> cosigned = cosign_layers(planned);
    for (const auto& key : keys) {
        if (key.kind != SourceKey::Kind::sigstore || cosigned.empty()) {
            continue;
        }
        AIRLOCK_TRY_ASSIGN(const std::string pem, read_file(key.file, k_max_key_file));
        AIRLOCK_TRY_ASSIGN(const crypto::PublicKey public_key,
                           crypto::PublicKey::from_pem(pem, key.file.string()));
        for (const PlannedBlob* layer : cosigned) {
            AIRLOCK_TRY_ASSIGN(const std::string problem,
                               cosign_problem(planned, *layer, public_key, source_tag));
            if (problem.empty()) {
                planned.image.verified_by.push_back({image.digest, public_key.id()});
                return {};
            }
            problems.push_back(str_cat(layer->descriptor.digest.str().substr(0, 19),
                                       " and ",
                                       key.file.filename().string(),
                                       ": ",
                                       problem));
        }
    }
    const bool carries = !image.signatures.empty() || !cosigned.empty();
    std::string why = !carries           ? std::string("it carries no signature")
                      : problems.empty() ? std::string("no signature of that digest")
                                         : problems.front();
    for (std::size_t i = 1; i < problems.size() && i < 4; ++i) {
        why += "; " + problems[i];
    }
    return fail(Errc::signature_invalid,
                str_cat(image.source,
                        " (",
                        image.digest.str(),
                        "): no valid vendor signature by a --require-source-signature key: ",
                        why));
}

} // namespace airlock::pack

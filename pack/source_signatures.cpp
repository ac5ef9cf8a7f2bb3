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

#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/json.hpp>
#include <airlock/manifest/reference.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

namespace airlock::pack {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::uint64_t k_max_key_file = 16ULL << 20U;

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
    if (type == critical->end() || *type != "atomic container signature") {
        return "its payload is not an atomic container signature";
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
    // containers/image's matchRepoDigestOrExact: a signed tag must be the tag packed.
    if (!signed_ref->tag().empty() && signed_ref->digest().empty() && signed_ref->tag() != tag) {
        return str_cat("it vouches for ", vouched, ", another tag");
    }
    return {};
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
                continue; // sigstore signatures are not carried from registries yet
            }
            AIRLOCK_TRY_ASSIGN(const GpgvResult result,
                               run_gpgv(key.file, *blob->content, scratch.path()));
            std::string problem = result.problem;
            if (problem.empty()) {
                problem = payload_problem(result.payload, image.digest, image.name, source_tag);
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
    std::string why = image.signatures.empty() ? std::string("it carries no signature")
                      : problems.empty()       ? std::string("no signature of that digest")
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

// SPDX-License-Identifier: Apache-2.0
#include "lookaside.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>
#include <airlock/http/client.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/registry/client.hpp>

#include <optional>
#include <set>

namespace airlock::pack {

namespace fs = std::filesystem;

namespace {

// A simple-signing signature is about a kilobyte; the bounds keep a lookaside store that answers
// every name with large files from filling pack's memory (signatures are held until written),
// and an image within what bundle.json may list for it.
constexpr std::uint64_t k_max_signature = 256ULL << 10U;
constexpr unsigned k_max_signatures = 16;           // of one manifest
constexpr std::size_t k_max_image_signatures = 256; // of one image, as bundle.json allows

// The host of an http(s) URL, for its TLS settings (certs.d).
std::string url_host(std::string_view url)
{
    const std::size_t start = url.find("://");
    std::string_view rest = start == std::string_view::npos ? url : url.substr(start + 3);
    return std::string(rest.substr(0, rest.find('/')));
}

// Signature `url`, or nothing when the store does not have it.
Result<std::optional<std::string>>
read_signature(const std::string& url, const registry::RegistryOptions& access, http::Client& http)
{
    if (url.starts_with("file://")) {
        const auto directory = manifest::lookaside_directory(url);
        if (!directory) {
            return fail(Errc::usage,
                        str_cat("lookaside ", url, ": a file:// URL names a path on this machine"));
        }
        const fs::path path = *directory;
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(path, ec))) {
            return std::optional<std::string>();
        }
        AIRLOCK_TRY_ASSIGN(std::string bytes, read_file(path, k_max_signature));
        return std::optional<std::string>(std::move(bytes));
    }
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        return fail(Errc::usage,
                    str_cat("lookaside ", url, ": only file://, http:// and https:// are read"));
    }
    http::Request request;
    request.url = url;
    request.tls = registry::tls_for_host(access, url_host(url));
    AIRLOCK_TRY_ASSIGN(const http::Response response, http.fetch(request, k_max_signature));
    if (response.status == 404) {
        return std::optional<std::string>();
    }
    if (response.status != 200) {
        return fail(Errc::http_status, str_cat("lookaside ", url, " answered ", response.status));
    }
    return std::optional<std::string>(response.body);
}

} // namespace

Result<> add_lookaside_signatures(PlannedImage& planned,
                                  const manifest::RegistriesD& config,
                                  const registry::RegistryOptions& access,
                                  Reporter& reporter)
{
    const std::string base = manifest::lookaside_url(config, planned.image.name, false);
    if (base.empty()) {
        return {};
    }
    std::vector<manifest::Digest> signed_digests = {planned.image.digest};
    for (const auto& blob : planned.blobs) {
        if (blob.role == BlobRole::document && blob.descriptor.digest != planned.image.digest
            && manifest::media_type::is_manifest(blob.descriptor.media_type)) {
            signed_digests.push_back(blob.descriptor.digest);
        }
    }
    http::Client http;
    std::set<manifest::Digest> carried;
    for (const auto& digest : signed_digests) {
        for (unsigned n = 1; n <= k_max_signatures; ++n) {
            AIRLOCK_TRY(check_cancel());
            const std::string url =
                manifest::signature_url(base, planned.image.name, digest.str(), n);
            auto read = read_signature(url, access, http);
            if (!read) {
                return std::unexpected(std::move(read.error())
                                           .with_context(str_cat("while reading the signatures of ",
                                                                 planned.image.name,
                                                                 "@",
                                                                 digest.str())));
            }
            if (!*read) {
                break;
            }
            const std::string& bytes = **read;
            if (planned.image.signatures.size() >= k_max_image_signatures) {
                return fail(Errc::format,
                            str_cat(planned.image.name,
                                    ": its lookaside store has more than ",
                                    k_max_image_signatures,
                                    " signatures for it"));
            }
            const manifest::Digest blob = manifest::Digest::sha256(crypto::sha256_hex(bytes));
            planned.image.signatures.push_back({digest, blob, bytes.size()});
            if (carried.insert(blob).second) {
                planned.blobs.push_back({{std::string(manifest::media_type::simple_signing),
                                          blob,
                                          bytes.size(),
                                          {},
                                          {},
                                          {}},
                                         nullptr,
                                         BlobRole::signature,
                                         bytes});
            }
        }
    }
    if (!planned.image.signatures.empty()) {
        reporter.info(str_cat(planned.image.name,
                              ": ",
                              planned.image.signatures.size(),
                              " signature(s) from ",
                              base));
    }
    return {};
}

} // namespace airlock::pack

// SPDX-License-Identifier: Apache-2.0
#include "bundle_policy.hpp"
#include "image_closure.hpp"

#include <airlock/base/time.hpp>
#include <airlock/unpack/verify.hpp>

#include <set>
#include <system_error>

namespace airlock::unpack {

Result<VerifyReport> verify_bundle(const std::filesystem::path& bundle,
                                   const bundle::TrustedKeys& trusted,
                                   Reporter& reporter,
                                   const VerifyPolicy& policy,
                                   const std::vector<std::filesystem::path>& parts_dirs)
{
    AIRLOCK_TRY_ASSIGN(bundle::BundleReader reader, bundle::BundleReader::open(bundle, parts_dirs));
    VerifyReport report;
    AIRLOCK_TRY_ASSIGN(report.signatures, reader.authenticate(trusted, policy.required_signatures));
    AIRLOCK_TRY(check_expiry(reader.header().manifest, now_seconds(), policy.allow_expired));
    DocumentCollector documents;
    AIRLOCK_TRY_ASSIGN(
        report.content,
        reader.read_contents(documents, bundle::OnMismatch::collect, reporter, "verify"));
    const auto& manifest = reader.header().manifest;
    // A bundle on its own can only vouch for what it carries (plus what it says it requires).
    std::set<manifest::Digest> required_digests;
    for (const auto& blob : manifest.required) {
        required_digests.insert(blob.digest);
    }
    const auto required = [&](const manifest::Digest& d) { return required_digests.contains(d); };
    const auto unavailable = [](const manifest::Digest& d) -> Result<std::string> {
        return fail(Errc::not_found, "document " + d.str() + " is required from the target store");
    };
    if (report.content.problems.empty()) {
        const BundleBlobs blobs(manifest);
        for (const auto& image : manifest.images) {
            auto closure =
                check_image_closure(image, blobs, documents.documents(), required, unavailable);
            if (!closure && closure.error().code != Errc::not_found) {
                report.closure.push_back(std::move(closure.error()));
            }
        }
    }
    std::error_code ec;
    report.file_size = std::filesystem::file_size(bundle, ec);
    report.header = reader.header();
    return report;
}

} // namespace airlock::unpack

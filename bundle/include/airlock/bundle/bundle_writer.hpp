// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/archive/tar_writer.hpp>
#include <airlock/base/error.hpp>

#include <string>
#include <vector>

namespace airlock::bundle {

// A file of the OCI layout that a bundle carries before its blobs (`oci-layout`, `index.json`,
// Docker's `manifest.json`), listed in bundle.json with its digest.
struct LayoutFileContent
{
    std::string path;
    std::string content;
};

// The entries a bundle starts with, ready to write.
struct HeaderEntries
{
    std::string bundle_json;     // the exact bytes the signatures cover
    std::string signatures_json; // signatures.json
    std::vector<LayoutFileContent> layout;
};

// Writes `header` onto `writer` in the order readers expect: bundle.json first, signatures.json
// second, then the layout files; the blobs follow in the stream. Errc::io.
Result<> write_header(archive::TarWriter& writer, const HeaderEntries& header);

} // namespace airlock::bundle

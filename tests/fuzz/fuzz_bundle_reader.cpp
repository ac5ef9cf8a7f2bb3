// SPDX-License-Identifier: Apache-2.0
//
// A whole bundle as verify reads it: BundleReader::open (the tar/zstd stream, bundle.json and
// signatures.json, the entry checks), bundle.json parsed as `inspect` does, then every entry
// through read_contents in collect mode into a sink that discards. Signatures are not checked
// here (that needs a trusted key), so mutated bundle.json files reach the content pass.
#include "input_file.hpp"

#include <airlock/base/reporter.hpp>
#include <airlock/bundle/bundle_reader.hpp>

namespace {

class DiscardSink final : public airlock::bundle::BlobSink
{
  public:
    airlock::Result<> begin(const airlock::manifest::BundleBlob& /*blob*/) override
    {
        return {};
    }

    airlock::Result<> write(std::span<const char> /*data*/) override
    {
        return {};
    }

    airlock::Result<> end(bool /*verified*/) override
    {
        return {};
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = airlock::fuzz::input_directory().write("input.bundle", data, size);
    auto reader = airlock::bundle::BundleReader::open(path);
    if (!reader || !reader->parse_unauthenticated()) {
        return 0;
    }
    DiscardSink sink;
    airlock::NullReporter reporter;
    (void)reader->read_contents(sink, airlock::bundle::OnMismatch::collect, reporter, "verify");
    return 0;
}

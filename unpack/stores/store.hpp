// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every store an import writes to provides. The import flow (import.cpp) is written once
// against this interface and calls the steps in this order:
//
//   add_channel_states  where the store's channel marks live (before anything is touched)
//   prepare             connect, check, make room; nothing visible changes
//   [tag steps]         only when decides_tags_first(): the tags are part of what it receives
//   receiver/received   the one streaming pass over the bundle, every blob verified
//   ensure_required     the blobs a differential bundle left out are there
//   holds/read_document the closure check of every image, against bundle and store
//   publish             the verified content becomes part of the store, still untagged
//   [tag steps]         tagged, tagged_version, set_tag (TagView) for every planned tag
//   commit              the tags become visible
//
// import --dry-run calls add_channel_states (for_preview), prepare_preview, the verifying pass into
// nothing, preview, the closure check, and decides every tag against the store without setting one.
//
// Any failure: abandon() undoes what the import created. Adding a store = one file in this
// folder that implements Store, and one row in open_store.cpp.

#include "../channel_state.hpp"
#include "../image_closure.hpp"
#include "../tagging.hpp"

#include <airlock/base/error.hpp>
#include <airlock/base/file_lock.hpp>
#include <airlock/base/reporter.hpp>
#include <airlock/bundle/bundle_reader.hpp>
#include <airlock/manifest/bundle_manifest.hpp>
#include <airlock/unpack/store_spec.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace airlock::unpack {

// What a store did with the blobs of one import, for the summary.
struct BlobCounts
{
    std::uint64_t written = 0;       // blobs the store did not have
    std::uint64_t present = 0;       // blobs it had already
    std::uint64_t mounted = 0;       // blobs a registry mounted from another repository
    std::uint64_t bytes = 0;         // bytes of the written blobs
    std::uint64_t bytes_present = 0; // previews: bytes of the present and mounted blobs
    bool manifests_added = false;    // untagged manifests became part of the store
};

// A vendor's signature the bundle carries for image `image` (its index in bundle.json), over
// manifest `manifest` (the image's digest or a platform's), with its verified bytes.
struct CarriedSignature
{
    std::size_t image = 0;
    manifest::Digest manifest;
    std::string bytes;
};

// An artifact the bundle carries attached to a manifest of image `image` (its index in
// bundle.json): a sigstore attachment (tag set) or an OCI referrer.
struct CarriedAttachment
{
    std::size_t image = 0;
    const manifest::ImageAttachment* attachment = nullptr;
};

// The bundle an import is reading, for the stores' steps and messages.
struct IncomingBundle
{
    const manifest::BundleManifest& manifest;
    const std::filesystem::path& path;
};

// A store is also the TagView its tags are set through (tagging.hpp): tagged, tagged_version
// and set_tag, called after publish (or before the stream, when decides_tags_first).
class Store : public TagView
{
  public:
    // The store as messages and the summary name it: "oci:DIR", "docker://HOST/PREFIX", ...
    virtual std::string name() const = 0;

    // The store spelled one way, so that a record keyed by it cannot be bypassed by naming
    // the same store differently (store_identity.hpp).
    virtual std::string identity() const = 0;

    // The name of this machine's channel ledger of the store, before it is made a file name:
    // docker-HOST-PREFIX, docker-engine-SOCKET, containerd-SOCKET-NS, as they were named
    // before store identities were normalised, so that a store spelled the usual way keeps
    // its file.
    virtual std::string ledger_name() const = 0;

    // Whether the blobs a differential bundle leaves out can already be in this store.
    virtual bool accepts_differential() const = 0;

    // Adds the places that keep the store's channel marks to `channel`, before anything is
    // read or written. By default this machine's ledger of the store (local_ledger_path),
    // locked from now until the store is destroyed, as the store has no lock of its own; for
    // a dry run (`for_preview`) only read: no directory made, no lock taken.
    virtual Result<>
    add_channel_states(ChannelGuard& channel, Reporter& reporter, bool for_preview);

    // Readies the store for `bundle`: connects, checks, creates private staging. Stores that
    // keep channel marks of their own add and check them here. Nothing visible changes.
    virtual Result<>
    prepare(const IncomingBundle& bundle, ChannelGuard& channel, Reporter& reporter) = 0;

    // prepare for --dry-run: what preview and the tag lookups need, and nothing written. By
    // default prepare itself, for stores whose prepare writes nothing.
    virtual Result<>
    prepare_preview(const IncomingBundle& bundle, ChannelGuard& channel, Reporter& reporter)
    {
        return prepare(bundle, channel, reporter);
    }

    // --dry-run, after the verifying pass: readies image_id, holds and the tag lookups without
    // changing the store, fails as ensure_required would, and counts what the import would
    // write (written, bytes) and what the store has already (present, mounted, bytes_present).
    virtual Result<BlobCounts> preview(const Documents& documents) = 0;

    // True when the tags must be decided before the stream, because they are written into
    // what the store receives.
    virtual bool decides_tags_first() const
    {
        return false;
    }

    // The sink for the streaming pass, fed after `documents` has seen each blob; nullptr when
    // the store takes nothing (the pass still verifies every blob).
    virtual Result<bundle::BlobSink*> receiver(const Documents& documents) = 0;

    // The streaming pass ended with `streamed`: finishes or cuts what the receiver started and
    // returns the pass's error with what it means for this store.
    virtual Result<> received(Result<bundle::ContentReport> streamed) = 0;

    // Makes sure every blob the bundle left out is in the store (differential bundles).
    virtual Result<> ensure_required(const Documents& /*documents*/)
    {
        return {};
    }

    // Whether the store holds blob `digest` (for blobs that are not in the bundle).
    virtual bool holds(const manifest::Digest& /*digest*/) const
    {
        return false;
    }

    // A JSON document the store holds and the bundle does not. Errc::not_found.
    virtual Result<std::string> read_document(const manifest::Digest& digest) const;

    // Makes the verified content part of the store, untagged.
    virtual Result<> publish(const Documents& documents, ChannelGuard& channel) = 0;

    // Puts the vendors' signatures the bundle carries where the store's users look for them
    // (after publish, before any tag); how many of them the store holds now (written or there
    // already). By default the store keeps none, and says so.
    virtual Result<std::size_t> keep_signatures(const std::vector<CarriedSignature>& signatures,
                                                Reporter& reporter);

    // Makes the attached manifests the bundle carries (published with the rest) findable the way
    // the store's tools look for them: under their tag, or as referrers of their subject.
    // How many of them the store holds now. By default the store keeps none, and says so.
    virtual Result<std::size_t> keep_attachments(const std::vector<CarriedAttachment>& attachments,
                                                 Reporter& reporter);

    // The identity the store knows bundle image `image` by (what its tags point at); nothing
    // when the store takes no part of it (no manifest for its platform).
    virtual std::optional<std::string> image_id(std::size_t image) const = 0;

    // The image's name as the store lists it.
    virtual std::string image_name(std::size_t image) const = 0;

    // Makes the tags set so far visible.
    virtual Result<> commit()
    {
        return {};
    }

    virtual BlobCounts counts() const = 0;

    // Undoes what this import created in the store, and says where the import failed.
    virtual Error abandon(Error error)
    {
        return error;
    }

  private:
    std::optional<FileLock> m_ledger_lock;
};

// Opens the store `spec` names (an empty spec: the default store, oci:DIR). Errc::usage for
// an unknown kind or a malformed spec, or an option the store does not take.
Result<std::unique_ptr<Store>> open_store(std::string_view spec, const StoreOptions& options);

// The store's ledger file in this machine's state directory: one file per store identity.
std::filesystem::path local_ledger_path(const Store& store);

} // namespace airlock::unpack

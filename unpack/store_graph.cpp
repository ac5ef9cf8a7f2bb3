// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/cancel.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/image.hpp>
#include <airlock/manifest/media_types.hpp>
#include <airlock/unpack/store_graph.hpp>

#include <optional>

namespace airlock::unpack {

namespace media_type = manifest::media_type;

namespace {

// Indexes of indexes are allowed, without end they are not: a loop of indexes cannot be
// written (each names the other's digest), but a deep chain can.
constexpr int k_max_nesting = 8;

class Walker
{
  public:
    explicit Walker(const OciStore& store, StoreGraph& graph)
        : m_store(store)
        , m_graph(graph)
    {
    }

    // `document`: `d` stands where a manifest or index must (an index.json entry, an index's
    // child), so a type airlock does not know cannot be taken for a leaf.
    Result<> visit(const manifest::Descriptor& d, const std::string& tag, int depth, bool document)
    {
        AIRLOCK_TRY(check_cancel());
        if (depth > k_max_nesting) {
            return fail(Errc::format,
                        str_cat("store ",
                                m_store.root().string(),
                                ": ",
                                tag,
                                " nests indexes ",
                                "deeper than ",
                                k_max_nesting,
                                " levels"));
        }
        ReachedBlob& blob = m_graph.blobs[d.digest];
        if (blob.media_type.empty()) {
            blob.size = d.size;
            blob.media_type = d.media_type;
        }
        if (!blob.tags.insert(tag).second) {
            return {}; // this tag reached it (and so everything below it) already
        }
        const bool index = media_type::is_index(d.media_type);
        if (document && !index && !media_type::is_manifest(d.media_type)) {
            m_graph.unreadable.push_back(
                {d.digest, str_cat("of type ", d.media_type, ", whose blobs airlock cannot tell")});
            return {};
        }
        const std::vector<manifest::Descriptor>* children = this->children(d);
        if (children != nullptr) {
            for (const auto& child : *children) {
                AIRLOCK_TRY(visit(child, tag, depth + 1, index));
            }
        }
        return {};
    }

  private:
    // The blobs document `d` names, read once; nullptr for a blob that names none, or a
    // document that could not be read (recorded in the graph).
    const std::vector<manifest::Descriptor>* children(const manifest::Descriptor& d)
    {
        const bool index = media_type::is_index(d.media_type);
        if (!index && !media_type::is_manifest(d.media_type)) {
            return nullptr;
        }
        if (const auto it = m_children.find(d.digest); it != m_children.end()) {
            return it->second ? &*it->second : nullptr;
        }
        auto& slot = m_children[d.digest];
        const auto bytes = m_store.read_document(d.digest);
        if (!bytes) {
            m_graph.unreadable.push_back({d.digest, bytes.error().message});
            return nullptr;
        }
        if (index) {
            auto parsed = manifest::parse_image_index(*bytes, d.media_type);
            if (!parsed) {
                m_graph.unreadable.push_back({d.digest, parsed.error().message});
                return nullptr;
            }
            slot = std::move(parsed->manifests);
        } else {
            auto parsed = manifest::parse_image_manifest(*bytes, d.media_type);
            if (!parsed) {
                m_graph.unreadable.push_back({d.digest, parsed.error().message});
                return nullptr;
            }
            std::vector<manifest::Descriptor> blobs{parsed->config};
            blobs.insert(blobs.end(), parsed->layers.begin(), parsed->layers.end());
            slot = std::move(blobs);
        }
        return &*slot;
    }

    const OciStore& m_store;
    StoreGraph& m_graph;
    std::map<manifest::Digest, std::optional<std::vector<manifest::Descriptor>>> m_children;
};

} // namespace

std::string entry_name(const manifest::Descriptor& entry)
{
    const std::string ref = entry.annotation(manifest::k_annotation_ref_name);
    return ref.empty() ? str_cat("untagged manifest ", entry.digest.str()) : ref;
}

Result<StoreGraph> walk_store(const OciStore& store)
{
    AIRLOCK_TRY_ASSIGN(std::vector<manifest::Descriptor> entries, store.read_index());
    return walk_entries(store, std::move(entries));
}

Result<StoreGraph> walk_entries(const OciStore& store, std::vector<manifest::Descriptor> entries)
{
    StoreGraph graph;
    graph.entries = std::move(entries);
    Walker walker(store, graph);
    for (const auto& entry : graph.entries) {
        AIRLOCK_TRY(walker.visit(entry, entry_name(entry), 0, true));
    }
    return graph;
}

} // namespace airlock::unpack

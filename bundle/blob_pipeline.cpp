// SPDX-License-Identifier: Apache-2.0
#include "blob_pipeline.hpp"

#include <airlock/base/str_cat.hpp>
#include <airlock/crypto/sha256.hpp>

namespace airlock::bundle {

namespace {

// Chunk size and count: large enough for direct writes to keep a disk busy and for each stage
// to run a chunk ahead, small enough that the pass stays well under 64 MiB resident.
constexpr std::size_t k_chunk_bytes = 2U << 20U;
constexpr std::size_t k_chunks = 6;
// Begin, end and problem pieces carry no chunk; room for them beside every chunk in flight.
constexpr std::size_t k_pieces = 4 * k_chunks;

} // namespace

BlobPipeline::BlobPipeline(BlobSink& sink,
                           OnMismatch mode,
                           Reporter& reporter,
                           std::string bundle,
                           std::string_view phase,
                           std::uint64_t total_bytes,
                           std::uint64_t total_blobs)
    : m_sink(sink)
    , m_mode(mode)
    , m_bundle(std::move(bundle))
    , m_progress(reporter, phase, total_bytes, total_blobs)
    , m_free(k_chunks)
    , m_to_hash(k_pieces)
    , m_to_sink(k_pieces)
{
    for (std::size_t i = 0; i < k_chunks; ++i) {
        m_free.push(Chunk{AlignedBuffer(k_chunk_bytes), 0});
    }
    m_hasher = std::thread([this] { hash_stage(); });
    m_writer = std::thread([this] { sink_stage(); });
}

BlobPipeline::~BlobPipeline()
{
    m_free.cancel();
    m_to_hash.cancel();
    m_to_sink.cancel();
    join();
}

bool BlobPipeline::begin(const manifest::BundleBlob& blob)
{
    m_current = &blob;
    return m_to_hash.push(Piece{Piece::Kind::begin, &blob, {}, {}});
}

std::optional<BlobPipeline::Chunk> BlobPipeline::free_chunk()
{
    return m_free.pop();
}

bool BlobPipeline::data(Chunk chunk)
{
    return m_to_hash.push(Piece{Piece::Kind::data, m_current, std::move(chunk), {}});
}

bool BlobPipeline::end()
{
    return m_to_hash.push(Piece{Piece::Kind::end, m_current, {}, {}});
}

bool BlobPipeline::problem(Error error)
{
    return m_to_hash.push(Piece{Piece::Kind::problem, nullptr, {}, std::move(error)});
}

Result<ContentReport> BlobPipeline::finish(std::optional<Error> fatal)
{
    m_to_hash.close();
    join();
    m_progress.end();
    // Whatever stopped the sink came earlier in the stream than the producer's own failure.
    if (m_stopped_by) {
        return std::unexpected(std::move(*m_stopped_by));
    }
    if (fatal) {
        return std::unexpected(std::move(*fatal));
    }
    return std::move(m_report);
}

void BlobPipeline::hash_stage()
{
    crypto::Sha256 hasher;
    std::uint64_t got = 0;
    while (auto piece = m_to_hash.pop()) {
        if (piece->kind == Piece::Kind::begin) {
            hasher = crypto::Sha256();
            got = 0;
        } else if (piece->kind == Piece::Kind::data) {
            hasher.update(std::string_view(piece->chunk.buffer.data(), piece->chunk.size));
            got += piece->chunk.size;
        } else if (piece->kind == Piece::Kind::end) {
            const manifest::BundleBlob& blob = *piece->blob;
            const std::string actual = hasher.finish_hex();
            if (got != blob.size || actual != blob.digest.hex()) {
                piece->error =
                    Error{Errc::digest_mismatch,
                          str_cat(m_bundle,
                                  ": blob ",
                                  blob.digest.str(),
                                  " (",
                                  blob.media_type,
                                  ") does not match its digest: content hashes to sha256:",
                                  actual),
                          {}};
            }
        }
        if (!m_to_sink.push(std::move(*piece))) {
            return;
        }
    }
    m_to_sink.close();
}

void BlobPipeline::sink_stage()
{
    while (auto piece = m_to_sink.pop()) {
        if (auto delivered = deliver(*piece); !delivered) {
            stop(std::move(delivered.error()));
            return;
        }
    }
}

Result<> BlobPipeline::deliver(Piece& piece)
{
    switch (piece.kind) {
    case Piece::Kind::begin:
        return m_sink.begin(*piece.blob);
    case Piece::Kind::data: {
        AIRLOCK_TRY(
            m_sink.write(std::span<const char>(piece.chunk.buffer.data(), piece.chunk.size)));
        m_report.blob_bytes += piece.chunk.size;
        m_progress.add_bytes(piece.chunk.size);
        piece.chunk.size = 0;
        m_free.push(std::move(piece.chunk)); // never waits: every chunk has a place there
        return {};
    }
    case Piece::Kind::end:
        AIRLOCK_TRY(m_sink.end(!piece.error));
        ++m_report.blobs;
        m_progress.item_done();
        return piece.error ? note(std::move(*piece.error)) : Result<>{};
    case Piece::Kind::problem:
        return note(std::move(*piece.error));
    }
    return {};
}

Result<> BlobPipeline::note(Error error)
{
    if (m_mode == OnMismatch::stop) {
        return std::unexpected(std::move(error));
    }
    // A damaged bundle can hold any number of problems; the first ones name the damage.
    if (m_report.problems.size() < k_max_kept_problems) {
        m_report.problems.push_back(std::move(error));
    } else {
        ++m_report.problems_not_kept;
    }
    return {};
}

void BlobPipeline::stop(Error error)
{
    m_stopped_by = std::move(error);
    m_free.cancel();
    m_to_hash.cancel();
    m_to_sink.cancel();
}

void BlobPipeline::join()
{
    if (m_hasher.joinable()) {
        m_hasher.join();
    }
    if (m_writer.joinable()) {
        m_writer.join();
    }
}

} // namespace airlock::bundle

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/aligned_buffer.hpp>
#include <airlock/base/bounded_queue.hpp>
#include <airlock/base/phase_progress.hpp>
#include <airlock/bundle/bundle_reader.hpp>

#include <optional>
#include <thread>

namespace airlock::bundle {

// The bundle pass as three stages on their own threads: the caller decodes the stream into
// chunks, one thread hashes them, one hands them to the sink. Each stage works at its own pace
// with a fixed number of chunks in flight, so a pass takes about as long as its slowest stage
// (SHA-256 or the disk) instead of the sum of all three, and memory does not grow with blobs.
//
// The producer calls begin / data / end per blob and problem for whatever it refuses, all in
// stream order; finish() returns the outcome: the first problem in stream order (stop mode), or
// every problem gathered (collect mode).
class BlobPipeline
{
  public:
    struct Chunk
    {
        AlignedBuffer buffer;
        std::size_t size = 0;
    };

    // `bundle` names the stream in messages; progress counts the blobs' bytes and the blobs
    // delivered to the sink up to `total_bytes` and `total_blobs`, as `phase` (a literal).
    BlobPipeline(BlobSink& sink,
                 OnMismatch mode,
                 Reporter& reporter,
                 std::string bundle,
                 std::string_view phase,
                 std::uint64_t total_bytes,
                 std::uint64_t total_blobs);
    BlobPipeline(const BlobPipeline&) = delete;
    BlobPipeline& operator=(const BlobPipeline&) = delete;
    ~BlobPipeline();

    // Producer side. Each returns false once the pipeline has stopped on an error; the
    // producer then calls finish() to learn it.
    bool begin(const manifest::BundleBlob& blob);
    std::optional<Chunk> free_chunk(); // waits until one comes back from the sink
    bool data(Chunk chunk);
    bool end();
    bool problem(Error error);

    // Ends the stream (with `fatal` when the producer could not go on), waits for the stages
    // and returns the report or the error that stopped the pass.
    Result<ContentReport> finish(std::optional<Error> fatal = std::nullopt);

  private:
    struct Piece
    {
        enum class Kind { begin, data, end, problem };
        Kind kind = Kind::data;
        const manifest::BundleBlob* blob = nullptr;
        Chunk chunk;
        std::optional<Error> error; // problem, or (end) the digest mismatch
    };

    void hash_stage();
    void sink_stage();
    Result<> deliver(Piece& piece);
    Result<> note(Error error);
    void stop(Error error);
    void join();

    BlobSink& m_sink;
    OnMismatch m_mode;
    std::string m_bundle;
    PhaseProgress m_progress; // counted by the sink stage
    const manifest::BundleBlob* m_current = nullptr;

    BoundedQueue<Chunk> m_free;
    BoundedQueue<Piece> m_to_hash;
    BoundedQueue<Piece> m_to_sink;
    ContentReport m_report;            // written by the sink stage; read after join
    std::optional<Error> m_stopped_by; // likewise
    std::thread m_hasher;
    std::thread m_writer;
};

} // namespace airlock::bundle

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>
#include <airlock/manifest/image.hpp>

#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace airlock::pack {

// Downloads that a reader follows while they run: the blob cache appends each layer to its
// partial file and says how far it got, and the bundle writer reads the bytes already there
// instead of waiting for the whole layer, so that downloading and writing overlap. The reader
// hashes what it reads itself; the cache still verifies the blob before caching it.
// Thread-safe.
class LiveDownloads
{
  public:
    // Where one followed download stands.
    struct State
    {
        std::filesystem::path file; // the partial file, or the cached one once done; empty
                                    // until the download starts
        std::uint64_t have = 0;     // bytes in the partial file
        bool done = false;
        std::optional<Error> error; // done without the blob
    };

    // The blobs a reader may follow; the cache's reports of others are ignored.
    explicit LiveDownloads(const std::vector<manifest::Digest>& followed);

    bool follows(const manifest::Digest& digest) const;

    // The download of `digest` appends to `file`, which now holds `have` bytes (fewer than
    // before: it began again).
    void appending(const manifest::Digest& digest,
                   const std::filesystem::path& file,
                   std::uint64_t have);

    // The download of `digest` ended: the cached file, or why not. The first report counts.
    void finished(const manifest::Digest& digest, const Result<std::filesystem::path>& result);

    // Every download not ended yet ends with `error` for its readers (a download failed and
    // the others are not started, or the reader gave up).
    void abandon(const Error& error);

    // The downloads still running should stop, and readers waiting for bytes give up with
    // Errc::cancelled (the writer failed).
    void stop();
    bool stopped() const;

    // Waits until `ready` holds for the state of `digest`; Errc::cancelled on an interrupt or
    // once stopped.
    Result<State> await(const manifest::Digest& digest,
                        const std::function<bool(const State&)>& ready);

  private:
    // Applies `change` to the state of a followed download not ended yet, and wakes readers.
    void update(const manifest::Digest& digest, const std::function<void(State&)>& change);

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<manifest::Digest, State> m_states;
    bool m_stopped = false;
};

// Reads one followed blob front to back as its download brings the bytes.
class FollowedBlob
{
  public:
    // `what` names the blob's source in messages.
    FollowedBlob(LiveDownloads& live, manifest::Descriptor blob, std::string what);

    // The next bytes, at most `buffer.size()`, waiting for the download to bring them; 0 after
    // the blob's last byte. The download's error when it failed.
    Result<std::size_t> read(std::span<char> buffer);

  private:
    LiveDownloads& m_live;
    manifest::Descriptor m_blob;
    std::string m_what;
    std::optional<Fd> m_fd;
    std::uint64_t m_position = 0;
};

} // namespace airlock::pack

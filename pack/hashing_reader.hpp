// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/bounded_queue.hpp>
#include <airlock/base/error.hpp>
#include <airlock/base/file.hpp>

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace airlock::pack {

// Reads a file front to back on its own thread, hashing it (SHA-256) as it goes, and hands the
// chunks to the caller: the caller's work on the bytes (compressing them into the bundle) and
// the read + hash overlap instead of taking turns. A few chunks in flight; memory is fixed.
class HashingReader
{
  public:
    using Chunk = std::vector<char>;

    // Reads the next bytes into the buffer; 0 at the end.
    using ReadSome = std::function<Result<std::size_t>(std::span<char>)>;

    // `what` names the file in messages.
    HashingReader(Fd fd, std::string what);

    // Reads through `read` (a file that is still being written), on the reader's thread.
    HashingReader(ReadSome read, std::string what);
    HashingReader(const HashingReader&) = delete;
    HashingReader& operator=(const HashingReader&) = delete;
    ~HashingReader();

    // The next chunk in file order; nothing at the end of the file or after a read error.
    std::optional<Chunk> next();

    // Gives a chunk back for reuse once the caller is done with it.
    void recycle(Chunk chunk);

    // After next() returned nothing: the hex digest of everything read, or the read error.
    Result<std::string> finish();

  private:
    void run();

    ReadSome m_read;
    std::string m_what;
    BoundedQueue<Chunk> m_free;
    BoundedQueue<Chunk> m_ready;
    Result<std::string> m_result; // written by the thread; read after join
    bool m_reached_end = false;   // likewise
    std::thread m_thread;
};

} // namespace airlock::pack

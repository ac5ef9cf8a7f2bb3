// SPDX-License-Identifier: Apache-2.0
#include "hashing_reader.hpp"

#include <airlock/crypto/sha256.hpp>

#include <memory>

namespace airlock::pack {

namespace {

constexpr std::size_t k_chunk_bytes = 1U << 20U;
constexpr std::size_t k_chunks = 4;

} // namespace

HashingReader::HashingReader(Fd fd, std::string what)
    : HashingReader([file = std::make_shared<Fd>(std::move(fd)),
                     what](std::span<char> buffer) { return read_some(*file, buffer, what); },
                    what)
{
}

HashingReader::HashingReader(ReadSome read, std::string what)
    : m_read(std::move(read))
    , m_what(std::move(what))
    , m_free(k_chunks)
    , m_ready(k_chunks)
{
    for (std::size_t i = 0; i < k_chunks; ++i) {
        m_free.push(Chunk(k_chunk_bytes));
    }
    m_thread = std::thread([this] { run(); });
}

HashingReader::~HashingReader()
{
    m_free.cancel();
    m_ready.cancel();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void HashingReader::run()
{
    crypto::Sha256 hasher;
    while (std::optional<Chunk> chunk = m_free.pop()) {
        chunk->resize(k_chunk_bytes);
        auto n = m_read(*chunk);
        if (!n || *n == 0) {
            m_result = n ? Result<std::string>(hasher.finish_hex())
                         : Result<std::string>(std::unexpected(std::move(n.error())));
            m_reached_end = true;
            m_ready.close();
            return;
        }
        chunk->resize(*n);
        hasher.update(std::string_view(chunk->data(), chunk->size()));
        if (!m_ready.push(std::move(*chunk))) {
            return;
        }
    }
}

std::optional<HashingReader::Chunk> HashingReader::next()
{
    return m_ready.pop();
}

void HashingReader::recycle(Chunk chunk)
{
    m_free.push(std::move(chunk));
}

Result<std::string> HashingReader::finish()
{
    m_free.cancel();
    m_ready.cancel();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    if (!m_reached_end) {
        return fail(Errc::internal, "reading " + m_what + " stopped before its end");
    }
    return m_result;
}

} // namespace airlock::pack

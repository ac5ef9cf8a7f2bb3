// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/c_deleter.hpp>
#include <airlock/base/cancel.hpp>
#include <airlock/base/encoding.hpp>
#include <airlock/base/file.hpp>
#include <airlock/crypto/sha256.hpp>

#include <openssl/evp.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace airlock::crypto {

using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, CDeleter<EVP_MD_CTX_free>>;

struct Sha256::Impl
{
    EvpMdCtxPtr ctx{EVP_MD_CTX_new()};

    void reset()
    {
        // Only allocation failure can make these fail: a bug-class condition, not input.
        if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
            throw std::runtime_error("OpenSSL cannot initialise SHA-256");
        }
    }
};

Sha256::Sha256()
    : m_impl(std::make_unique<Impl>())
{
    m_impl->reset();
}

Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
Sha256::~Sha256() = default;

void Sha256::update(std::string_view data)
{
    if (!data.empty()) {
        EVP_DigestUpdate(m_impl->ctx.get(), data.data(), data.size());
    }
}

std::string Sha256::finish_raw()
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_impl->ctx.get(), digest.data(), &length);
    m_impl->reset();
    return {reinterpret_cast<const char*>(digest.data()), length};
}

std::string Sha256::finish_hex()
{
    return hex_encode(finish_raw());
}

Result<std::string> sha256_file(const std::filesystem::path& path)
{
    AIRLOCK_TRY_ASSIGN(const Fd fd, open_for_reading(path));
    Sha256 hasher;
    std::vector<char> buffer(1U << 20U);
    while (true) {
        AIRLOCK_TRY(check_cancel()); // a part on a slow stick can take minutes
        AIRLOCK_TRY_ASSIGN(const std::size_t n, read_some(fd, buffer, path.string()));
        if (n == 0) {
            return hasher.finish_hex();
        }
        hasher.update(std::string_view(buffer.data(), n));
    }
}

std::string sha256_hex(std::string_view data)
{
    Sha256 hasher;
    hasher.update(data);
    return hasher.finish_hex();
}

} // namespace airlock::crypto

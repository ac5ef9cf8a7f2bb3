// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace airlock::crypto {

// Streaming SHA-256 (OpenSSL EVP). Feed bytes with `update`, read the digest once with
// `finish_hex`; the hasher can then be reused from empty.
class Sha256
{
  public:
    Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    ~Sha256();

    void update(std::string_view data);

    // The 64 lower-case hex digits of the digest of everything fed since the last reset.
    std::string finish_hex();

    // The 32 raw digest bytes; resets like `finish_hex`.
    std::string finish_raw();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// SHA-256 of `data` as 64 hex digits.
std::string sha256_hex(std::string_view data);

// SHA-256 of a whole file, streamed, as 64 hex digits. Errc::not_found, Errc::io.
Result<std::string> sha256_file(const std::filesystem::path& path);

} // namespace airlock::crypto

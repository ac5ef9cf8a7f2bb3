// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/bundle/trust.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace airlock::bundle {

// Detached signatures over small files, such as a release's SHA256SUMS: FILE.sig holds the raw
// signature bytes (Ed25519's 64 bytes, or DER ECDSA over SHA-256), the form OpenSSL checks too,
// so a host without airlock can check the file that brings airlock:
//   openssl pkeyutl -verify -pubin -inkey release.pub -rawin -in FILE -sigfile FILE.sig
//   openssl dgst -sha256 -verify release.pub -signature FILE.sig FILE        (ECDSA)

// Signed files are read whole: a checksum list, never a blob (sign that list instead).
inline constexpr std::uint64_t k_max_detached_signed_file = 16ULL << 20U;

// FILE.sig beside `file`.
std::filesystem::path detached_signature_path(const std::filesystem::path& file);

// Signs `file` with the private key in `key_file` and writes the signature to `signature`
// (atomically). Returns the key's id. Errc::format for a file over the size limit; errors of
// reading either file name it.
Result<std::string> sign_detached(const std::filesystem::path& file,
                                  const std::filesystem::path& key_file,
                                  const std::filesystem::path& signature);

// Checks `signature` over `file` against each trusted key; returns the id of the key that made
// it. Errc::signature_invalid naming the file when no trusted key did (or none is trusted).
Result<std::string> verify_detached(const std::filesystem::path& file,
                                    const std::filesystem::path& signature,
                                    const TrustedKeys& trusted);

} // namespace airlock::bundle

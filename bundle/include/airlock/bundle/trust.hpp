// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/error.hpp>
#include <airlock/crypto/keys.hpp>
#include <airlock/manifest/bundle_manifest.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace airlock::bundle {

// Where trusted keys live unless the operator says otherwise: trusted-keys in the system's
// configuration directory (/etc/airlock/trusted-keys, %ProgramData%\airlock\trusted-keys).
std::filesystem::path default_trusted_keys_dir();

// The public keys whose signatures an importer accepts.
class TrustedKeys
{
  public:
    // Loads each file in `files` and every `*.pub` in `dir` (a missing `dir` adds nothing).
    // Errc::not_found / Errc::format naming the key file.
    static Result<TrustedKeys> load(const std::vector<std::filesystem::path>& files,
                                    const std::filesystem::path& dir);

    // The key with `id` ("sha256:..."), or nullptr.
    const crypto::PublicKey* find(std::string_view id) const;

    bool empty() const
    {
        return m_keys.empty();
    }

    std::size_t size() const
    {
        return m_keys.size();
    }

    const std::vector<crypto::PublicKey>& keys() const
    {
        return m_keys;
    }

    // The directory searched for `*.pub` keys, for messages.
    const std::filesystem::path& directory() const
    {
        return m_dir;
    }

    // Where the directory was named when not on the command line (an environment variable,
    // FILE:LINE), said with it when no key is found; empty otherwise.
    void set_directory_origin(std::string origin)
    {
        m_dir_origin = std::move(origin);
    }

    const std::string& directory_origin() const
    {
        return m_dir_origin;
    }

  private:
    std::vector<crypto::PublicKey> m_keys;
    std::filesystem::path m_dir;
    std::string m_dir_origin;
};

// Succeeds when `trusted` holds a key; otherwise Errc::signature_invalid saying how to give one
// and what the keys directory holds.
Result<> require_trusted_keys(const TrustedKeys& trusted);

struct SignatureCheck
{
    std::vector<std::string> trusted_signers; // key ids whose valid signature we checked
    std::vector<std::string> unknown_signers; // key ids we do not trust (ignored)
};

// Checks `signatures` over the exact `signed_bytes` of `document` (bundle.json, or a parts
// file's manifest): at least `required` distinct trusted
// keys must have signed validly, and no signature by a trusted key may be invalid.
// Errc::signature_invalid naming the keys concerned.
Result<SignatureCheck> check_signatures(std::string_view signed_bytes,
                                        const std::vector<manifest::Signature>& signatures,
                                        const TrustedKeys& trusted,
                                        std::size_t required = 1,
                                        std::string_view document = "bundle.json");

} // namespace airlock::bundle

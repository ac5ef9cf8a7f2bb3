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

// The private keys that sign what readers of a bundle check: bundle.json (pack, and the
// co-signatures of `airlock sign`) and a split bundle's parts file.
class Signer
{
  public:
    // Loads the PEM private key of each file in `key_files`, in order. Errc::not_found /
    // Errc::io, Errc::usage for a file that is not a PEM private key, naming the file.
    static Result<Signer> load(const std::vector<std::filesystem::path>& key_files);

    // One signature per key over exactly `bytes`, in the keys' order.
    Result<std::vector<manifest::Signature>> sign(std::string_view bytes) const;

    // True when every key has a signature among `signatures` that verifies over `bytes`; an
    // entry that merely claims a key's id does not count.
    bool has_signed(std::string_view bytes,
                    const std::vector<manifest::Signature>& signatures) const;

    // The keys' ids ("sha256:..."), in order.
    std::vector<std::string> key_ids() const;

  private:
    struct Key
    {
        crypto::PrivateKey private_key;
        crypto::PublicKey public_key;
    };

    std::vector<Key> m_keys;
};

} // namespace airlock::bundle

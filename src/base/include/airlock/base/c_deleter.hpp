// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>

namespace airlock {

// Deleter calling a C library's free function, so that every C handle is a unique_ptr:
// `using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, CDeleter<EVP_MD_CTX_free>>;`
template<auto Free> struct CDeleter
{
    template<class T> void operator()(T* handle) const noexcept
    {
        if (handle != nullptr) {
            Free(handle);
        }
    }
};

} // namespace airlock

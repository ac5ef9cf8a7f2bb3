// SPDX-License-Identifier: Apache-2.0
//
// An answer of a local service (the Docker Engine) read by the HTTP/1.1 client of
// http::LocalTransport, delivered in pieces of varying size as a stream delivers them.
#include <airlock/http/http1.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) {
        return 0;
    }
    // The first byte: how many bytes a read delivers, and whether the request was a HEAD.
    const std::size_t step = 1U + data[0] % 64U;
    const std::string_view method = (data[0] & 0x80U) != 0 ? "HEAD" : "GET";
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t offset = 0;
    const airlock::http::http1::ByteSource source =
        [&](std::span<char> buffer) -> airlock::Result<std::size_t> {
        const std::size_t n = std::min({step, buffer.size(), bytes.size() - offset});
        std::memcpy(buffer.data(), bytes.data() + offset, n);
        offset += n;
        return n;
    };
    std::size_t body = 0;
    (void)airlock::http::http1::read_response(
        source,
        method,
        [&body](const airlock::http::Response&, std::span<const char> chunk) -> airlock::Result<> {
            body += chunk.size();
            return {};
        });
    return 0;
}

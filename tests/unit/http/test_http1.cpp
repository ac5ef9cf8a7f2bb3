// SPDX-License-Identifier: Apache-2.0
#include <airlock/http/http1.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <memory>

using namespace airlock;
using namespace airlock::http;

namespace {

// Serves `bytes` `step` bytes at a time, as a stream that delivers them in pieces would.
http1::ByteSource source_of(const std::string& bytes, std::size_t step)
{
    auto offset = std::make_shared<std::size_t>(0);
    return [bytes, step, offset](std::span<char> buffer) -> Result<std::size_t> {
        const std::size_t n = std::min({step, buffer.size(), bytes.size() - *offset});
        std::memcpy(buffer.data(), bytes.data() + *offset, n);
        *offset += n;
        return n;
    };
}

struct Read
{
    Result<Response> response;
    std::string body;
};

Read read(const std::string& bytes, std::string_view method = "GET", std::size_t step = 7)
{
    Read out{fail(Errc::internal, "unread"), {}};
    const auto source = source_of(bytes, step);
    out.response = http1::read_response(
        source, method, [&out](const Response&, std::span<const char> chunk) -> Result<> {
            out.body.append(chunk.data(), chunk.size());
            return {};
        });
    return out;
}

} // namespace

TEST_CASE("http1: a response framed by Content-Length, chunks, or the end of the stream")
{
    for (const std::size_t step : {1U, 7U, 100000U}) {
        auto r =
            read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nx-a:  2 \r\n\r\nhelloEXTRA",
                 "GET",
                 step);
        REQUIRE(r.response);
        CHECK(r.response->status == 200);
        CHECK(r.body == "hello");
        CHECK(r.response->headers["x-a"] == std::vector<std::string>{"1", "2"});

        r = read(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            "4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n",
            "GET",
            step);
        REQUIRE(r.response);
        CHECK(r.body == "Wikipedia in\r\n\r\nchunks.");

        r = read("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nto the end", "GET", step);
        REQUIRE(r.response);
        CHECK(r.body == "to the end");
    }
    // Interim answers are skipped; HEAD, 204 and 304 have no body whatever they announce.
    auto r =
        read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
    REQUIRE(r.response);
    CHECK(r.response->status == 201);
    CHECK(r.body == "ok");
    r = read("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", "HEAD");
    REQUIRE(r.response);
    CHECK(r.body.empty());
    r = read("HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n");
    REQUIRE(r.response);
}

TEST_CASE("http1: malformed, oversized and truncated responses are errors")
{
    const auto code = [](const std::string& bytes) {
        auto r = read(bytes);
        REQUIRE_FALSE(r.response);
        return r.response.error().code;
    };
    CHECK(code("") == Errc::network);
    CHECK(code("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort") == Errc::network);
    CHECK(code("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc") == Errc::network);
    CHECK(code("SSH-2.0-OpenSSH\r\n\r\n") == Errc::format);
    CHECK(code("HTTP/1.1 2000 OK\r\n\r\n") == Errc::format);
    CHECK(code("HTTP/1.1 099 Low\r\n\r\n") == Errc::format);
    CHECK(code("HTTP/1.1 200 OK\r\nno colon\r\n\r\n") == Errc::format);
    CHECK(code("HTTP/1.1 200 OK\r\n folded: x\r\n\r\n") == Errc::format);
    CHECK(code("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") == Errc::format);
    CHECK(code("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
          == Errc::format);
    CHECK(code("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n") == Errc::unsupported);
    CHECK(code("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == Errc::format);
    CHECK(code("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n")
          == Errc::format);
    CHECK(code("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n")
          == Errc::format);
    // A head without end is cut off at the limit, not read into memory without one.
    CHECK(code("HTTP/1.1 200 OK\r\n" + std::string(http1::k_max_head, 'a')) == Errc::format);
    std::string many = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 300; ++i) {
        many += "A: b\r\n";
    }
    CHECK(code(many + "\r\n") == Errc::format);
}

TEST_CASE("http1: requests")
{
    Request request;
    request.method = "POST";
    request.url = "http://docker/v1.41/images/a%2Fb/tag?repo=x&tag=1";
    request.headers = {"Content-Type: application/json"};
    request.body = "{}";
    std::string sent;
    const auto out = [&sent](std::span<const char> data) -> Result<> {
        sent.append(data.data(), data.size());
        return {};
    };
    REQUIRE(http1::send_request(request, out));
    CHECK(sent
          == "POST /v1.41/images/a%2Fb/tag?repo=x&tag=1 HTTP/1.1\r\nHost: docker\r\n"
             "Connection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");

    // A streamed body of unknown length goes in chunks.
    int calls = 0;
    request.body.clear();
    request.body_source = [&calls](std::span<char> buffer) -> Result<std::size_t> {
        if (calls++ == 2) {
            return std::size_t{0};
        }
        std::memset(buffer.data(), 'x', 20);
        return std::size_t{20};
    };
    sent.clear();
    REQUIRE(http1::send_request(request, out));
    CHECK(sent.ends_with("Transfer-Encoding: chunked\r\n\r\n14\r\nxxxxxxxxxxxxxxxxxxxx\r\n"
                         "14\r\nxxxxxxxxxxxxxxxxxxxx\r\n0\r\n\r\n"));

    // Nothing that would split the request: line breaks in the URL or a header.
    request.body_source = nullptr;
    request.url = "http://docker/x\r\nEvil: 1";
    CHECK(http1::request_head(request).error().code == Errc::usage);
    request.url = "http://docker/x";
    request.headers = {"A: b\r\nEvil: 1"};
    CHECK(http1::request_head(request).error().code == Errc::usage);
    request.url = "https://docker/x";
    request.headers.clear();
    CHECK(http1::request_head(request).error().code == Errc::usage);
}

TEST_CASE("http1: nothing outside a request's grammar reaches the stream")
{
    Request request;
    request.url = "http://docker/_ping";
    request.authorization = "Bearer x\r\nEvil: 1";
    CHECK(http1::request_head(request).error().code == Errc::usage);
    request.authorization.clear();
    request.method = "GET /x HTTP/1.1\r\n";
    CHECK(http1::request_head(request).error().code == Errc::usage);
    request.method = "GET";
    request.url = "http://docker/x\ty";
    CHECK(http1::request_head(request).error().code == Errc::usage);

    // A streamed body longer than it was announced is cut before the extra bytes are sent.
    request.url = "http://docker/images/load";
    request.method = "POST";
    request.body_size = 10;
    request.body_source = [](std::span<char> buffer) -> Result<std::size_t> {
        std::memset(buffer.data(), 'x', 20);
        return std::size_t{20};
    };
    std::string sent;
    const auto result =
        http1::send_request(request, [&sent](std::span<const char> data) -> Result<> {
            sent.append(data.data(), data.size());
            return {};
        });
    REQUIRE_FALSE(result);
    CHECK(sent.find("xxxxxxxxxx") == std::string::npos);
}

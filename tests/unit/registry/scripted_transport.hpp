// SPDX-License-Identifier: Apache-2.0
//
// An http::Transport that answers from a script, for unit tests of the registry client: each
// request must be the next one expected (method and URL), gets that expectation's canned answer
// (status, headers, body, or a network error) and is recorded, so that a test can say what was
// sent where (Authorization included). Redirects are not modelled: a real Transport follows them
// below this interface; an answer may name the URL that "answered" to stand for one.

#pragma once

#include <airlock/base/str_cat.hpp>
#include <airlock/http/transport.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace airlock::test {

// The answer to one expected request.
struct Reply
{
    long status = 200;
    std::vector<std::pair<std::string, std::string>> headers; // name (any case), value
    std::string body;
    // Instead of an answer: the transfer fails with this error (Errc::network for a connection
    // error), after a 2xx `body` reached the sink of a streamed request.
    std::optional<Error> error;
    // How much of a streamed request body (body_source) is taken before the answer; all of it
    // when unset, as libcurl does without 100-continue.
    std::optional<std::size_t> take_body;
    std::string url;               // the URL that answered, when not the request's (a redirect)
    std::function<void()> on_send; // runs while the request is in flight (a Ctrl-C, say)
};

// A network error as http::Client reports a refused connection.
inline Error connection_refused(std::string_view url)
{
    return Error{Errc::network, str_cat("request failed for ", url, ": Connection refused"), {}};
}

// One request as the transport received it.
struct SentRequest
{
    std::string method;
    std::string url;
    std::vector<std::string> headers;
    std::string authorization;
    std::optional<std::uint64_t> range_start;
    std::string body; // the string body, or what body_source gave
    http::TlsOptions tls;
    bool streamed = false; // through stream(), not fetch()

    // The value of header line `name` ("Content-Type"), or nothing.
    std::optional<std::string> header(std::string_view name) const
    {
        for (const auto& line : headers) {
            if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == ':') {
                return line.substr(std::min(line.size(), name.size() + 2));
            }
        }
        return std::nullopt;
    }
};

class ScriptedTransport final : public http::Transport
{
  public:
    // Expects `method` `url` as the next request and answers it with `reply`.
    ScriptedTransport& expect(std::string method, std::string url, Reply reply = {})
    {
        m_script.push_back(Expected{std::move(method), std::move(url), std::move(reply)});
        return *this;
    }

    Result<http::Response> fetch(const http::Request& request,
                                 std::uint64_t max_body = http::k_default_max_body) override
    {
        return answer(request, nullptr, max_body);
    }

    Result<http::Response> stream(const http::Request& request, const http::BodySink& sink) override
    {
        return answer(request, &sink, 0);
    }

    // Every request received, in order.
    const std::vector<SentRequest>& sent() const
    {
        return m_sent;
    }

    // How many expected requests did not come.
    std::size_t pending() const
    {
        return m_script.size();
    }

    // The size of the pieces a streamed body reaches the sink in.
    std::size_t chunk_size = 5;

  private:
    struct Expected
    {
        std::string method;
        std::string url;
        Reply reply;
    };

    static Result<std::string> take_body(const http::Request& request,
                                         std::optional<std::size_t> limit)
    {
        if (!request.body_source) {
            return request.body;
        }
        std::string taken;
        std::array<char, 4096> buffer{};
        while (!limit || taken.size() < *limit) {
            const std::size_t want =
                limit ? std::min(buffer.size(), *limit - taken.size()) : buffer.size();
            AIRLOCK_TRY_ASSIGN(const std::size_t n,
                               request.body_source(std::span<char>(buffer.data(), want)));
            if (n == 0) {
                break;
            }
            taken.append(buffer.data(), n);
        }
        return taken;
    }

    static http::Response head_of(const Reply& reply, const http::Request& request)
    {
        http::Response response;
        response.status = reply.status;
        response.url = reply.url.empty() ? request.url : reply.url;
        for (const auto& [name, value] : reply.headers) {
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
                return static_cast<char>(std::tolower(c));
            });
            response.headers[lower].push_back(value);
        }
        return response;
    }

    Result<http::Response>
    answer(const http::Request& request, const http::BodySink* sink, std::uint64_t max_body)
    {
        SentRequest& sent = m_sent.emplace_back(SentRequest{request.method,
                                                            request.url,
                                                            request.headers,
                                                            request.authorization,
                                                            request.range_start,
                                                            {},
                                                            request.tls,
                                                            sink != nullptr});
        if (m_script.empty() || m_script.front().method != request.method
            || m_script.front().url != request.url) {
            FAIL_CHECK("unexpected request "
                       << request.method << " " << request.url
                       << (m_script.empty() ? std::string(" (none expected)")
                                            : " (expected " + m_script.front().method + " "
                                                  + m_script.front().url + ")"));
            return fail(Errc::internal, "unexpected request " + request.url);
        }
        const Reply reply = std::move(m_script.front().reply);
        m_script.pop_front();
        if (reply.on_send) {
            reply.on_send();
        }
        if (request.method != "GET" && request.method != "HEAD") {
            AIRLOCK_TRY_ASSIGN(sent.body, take_body(request, reply.take_body));
        }
        http::Response response = head_of(reply, request);
        const bool success = response.status >= 200 && response.status < 300;
        if (sink != nullptr && success) {
            for (std::size_t at = 0; at < reply.body.size(); at += chunk_size) {
                const std::size_t n = std::min(chunk_size, reply.body.size() - at);
                AIRLOCK_TRY((*sink)(response, std::span<const char>(reply.body.data() + at, n)));
            }
        } else if (!reply.error) {
            if (sink == nullptr && reply.body.size() > max_body) {
                return fail(Errc::format, "response from " + request.url + " is too large");
            }
            response.body = reply.body;
        }
        if (reply.error) {
            return std::unexpected(*reply.error);
        }
        return response;
    }

    std::deque<Expected> m_script;
    std::vector<SentRequest> m_sent;
};

} // namespace airlock::test

// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/http/http1.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace airlock::http::http1 {

namespace {

// A chunk-size line (with its extensions) or a trailer line.
constexpr std::size_t k_max_line = 4096;
constexpr std::size_t k_max_headers = 200;
constexpr std::size_t k_read_size = 64U << 10U;

std::string lower(std::string_view text)
{
    std::string out(text);
    std::ranges::transform(
        out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// Reads the stream through a buffer, by line or by count.
class Reader
{
  public:
    explicit Reader(const ByteSource& in)
        : m_in(in)
    {
    }

    // The next line without its CRLF (a bare LF is accepted), at most `limit` bytes.
    Result<std::string> line(std::size_t limit, std::string_view what)
    {
        std::string out;
        for (;;) {
            const std::string_view available(m_buffer.data() + m_start, m_end - m_start);
            const std::size_t lf = available.find('\n');
            const std::size_t take = lf == std::string_view::npos ? available.size() : lf;
            if (out.size() + take > limit) {
                return fail(Errc::format,
                            str_cat("the ", what, " is longer than ", limit, " bytes"));
            }
            out.append(available.substr(0, take));
            if (lf != std::string_view::npos) {
                m_start += lf + 1;
                if (!out.empty() && out.back() == '\r') {
                    out.pop_back();
                }
                return out;
            }
            m_start = m_end;
            AIRLOCK_TRY_ASSIGN(const bool more, fill());
            if (!more) {
                return fail(Errc::network, str_cat("the connection closed in the ", what));
            }
        }
    }

    // Up to `wanted` bytes of what is buffered or arrives next; empty at the end of the stream.
    Result<std::string_view> some(std::uint64_t wanted)
    {
        if (m_start == m_end) {
            AIRLOCK_TRY_ASSIGN(const bool more, fill());
            if (!more) {
                return std::string_view();
            }
        }
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(wanted, m_end - m_start));
        const std::string_view out(m_buffer.data() + m_start, n);
        m_start += n;
        return out;
    }

  private:
    Result<bool> fill()
    {
        m_start = 0;
        m_end = 0;
        AIRLOCK_TRY_ASSIGN(const std::size_t n, m_in(std::span<char>(m_buffer)));
        m_end = n;
        return n > 0;
    }

    const ByteSource& m_in;
    std::array<char, k_read_size> m_buffer{};
    std::size_t m_start = 0;
    std::size_t m_end = 0;
};

Result<std::uint64_t> parse_number(std::string_view text, int base, std::string_view what)
{
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return fail(Errc::format, str_cat("bad ", what, " '", text.substr(0, 40), "'"));
    }
    return value;
}

// "HTTP/1.x NNN reason" into response.status.
Result<> parse_status_line(std::string_view line, Response& response)
{
    // "HTTP/1.1 200" and then nothing or " reason".
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line.substr(8, 1) != " "
        || (line.size() > 12 && line.substr(12, 1) != " ")) {
        return fail(Errc::format, str_cat("not an HTTP/1 status line: '", line.substr(0, 60), "'"));
    }
    AIRLOCK_TRY_ASSIGN(const std::uint64_t status, parse_number(line.substr(9, 3), 10, "status"));
    if (status < 100 || status > 599) {
        return fail(Errc::format, str_cat("bad status ", status));
    }
    response.status = static_cast<long>(status);
    return {};
}

// Status line and headers, skipping interim (1xx) responses.
Result<> read_head(Reader& reader, Response& response)
{
    std::size_t budget = k_max_head;
    for (;;) {
        AIRLOCK_TRY_ASSIGN(const std::string status, reader.line(budget, "response head"));
        budget -= std::min(budget, status.size() + 2);
        AIRLOCK_TRY(parse_status_line(status, response));
        response.headers.clear();
        std::size_t count = 0;
        for (;;) {
            AIRLOCK_TRY_ASSIGN(const std::string line, reader.line(budget, "response head"));
            budget -= std::min(budget, line.size() + 2);
            if (line.empty()) {
                break;
            }
            if (++count > k_max_headers) {
                return fail(Errc::format, str_cat("more than ", k_max_headers, " headers"));
            }
            const std::size_t colon = line.find(':');
            if (colon == std::string::npos || colon == 0 || line[0] == ' ' || line[0] == '\t') {
                return fail(Errc::format,
                            str_cat("malformed header line '", line.substr(0, 60), "'"));
            }
            response.headers[lower(trim(std::string_view(line).substr(0, colon)))].emplace_back(
                trim(std::string_view(line).substr(colon + 1)));
        }
        if (response.status >= 200 || response.status == 101) {
            return {};
        }
    }
}

// The body's framing, from the headers (RFC 9112 section 6.3).
struct Framing
{
    bool chunked = false;
    std::optional<std::uint64_t> length; // neither: to the end of the stream
};

Result<Framing> framing(const Response& response, std::string_view method)
{
    if (method == "HEAD" || response.status == 204 || response.status == 304) {
        return Framing{false, 0};
    }
    if (const auto te = response.headers.find("transfer-encoding"); te != response.headers.end()) {
        if (te->second.size() != 1 || lower(te->second.front()) != "chunked") {
            return fail(Errc::unsupported,
                        str_cat("transfer coding '",
                                te->second.front().substr(0, 40),
                                "' (only chunked is read)"));
        }
        return Framing{true, std::nullopt};
    }
    if (const auto cl = response.headers.find("content-length"); cl != response.headers.end()) {
        AIRLOCK_TRY_ASSIGN(const std::uint64_t length,
                           parse_number(cl->second.front(), 10, "Content-Length"));
        for (const std::string& other : cl->second) {
            if (other != cl->second.front()) {
                return fail(Errc::format, "conflicting Content-Length headers");
            }
        }
        return Framing{false, length};
    }
    return Framing{false, std::nullopt};
}

using BodyHandler = std::function<Result<>(const Response&, std::span<const char>)>;

// `count` bytes, or to the end of the stream when `count` is empty.
Result<> read_exactly(Reader& reader,
                      std::optional<std::uint64_t> count,
                      const Response& response,
                      const BodyHandler& on_body)
{
    std::uint64_t left = count.value_or(UINT64_MAX);
    while (left > 0) {
        AIRLOCK_TRY_ASSIGN(const std::string_view piece, reader.some(left));
        if (piece.empty()) {
            if (count) {
                return fail(Errc::network, "the connection closed before the body was complete");
            }
            return {};
        }
        AIRLOCK_TRY(on_body(response, std::span<const char>(piece.data(), piece.size())));
        left -= piece.size();
    }
    return {};
}

Result<> read_chunked(Reader& reader, const Response& response, const BodyHandler& on_body)
{
    for (;;) {
        AIRLOCK_TRY_ASSIGN(const std::string line, reader.line(k_max_line, "chunk size line"));
        std::string_view size_text = trim(std::string_view(line).substr(0, line.find(';')));
        if (size_text.size() > 16) {
            return fail(Errc::format, "a chunk size of more than 16 hex digits");
        }
        AIRLOCK_TRY_ASSIGN(const std::uint64_t size, parse_number(size_text, 16, "chunk size"));
        if (size == 0) {
            break;
        }
        AIRLOCK_TRY(read_exactly(reader, size, response, on_body));
        AIRLOCK_TRY_ASSIGN(const std::string end, reader.line(k_max_line, "chunk"));
        if (!end.empty()) {
            return fail(Errc::format, "a chunk longer than its size");
        }
    }
    // Trailers, ignored, up to the empty line.
    for (std::size_t i = 0;; ++i) {
        AIRLOCK_TRY_ASSIGN(const std::string trailer, reader.line(k_max_line, "trailer"));
        if (trailer.empty()) {
            return {};
        }
        if (i >= k_max_headers) {
            return fail(Errc::format, str_cat("more than ", k_max_headers, " trailers"));
        }
    }
}

// The path and query of http://HOST/PATH, and HOST.
struct Target
{
    std::string host;
    std::string path;
};

Result<Target> split_url(std::string_view url)
{
    constexpr std::string_view k_scheme = "http://";
    if (!url.starts_with(k_scheme)) {
        return fail(Errc::usage, str_cat("not an http:// URL: ", url));
    }
    url.remove_prefix(k_scheme.size());
    const std::size_t slash = url.find('/');
    Target target{std::string(url.substr(0, slash)),
                  slash == std::string_view::npos ? "/" : std::string(url.substr(slash))};
    // Visible ASCII only: anything else could end the request line or start another.
    const auto bad = [](char c) { return c < '!' || c > '~'; };
    if (target.host.empty() || std::ranges::any_of(target.host, bad)
        || std::ranges::any_of(target.path, bad)) {
        return fail(Errc::usage, str_cat("not a usable http:// URL: ", url.substr(0, 80)));
    }
    return target;
}

} // namespace

Result<std::string> request_head(const Request& request)
{
    const auto token = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    if (request.method.empty() || !std::ranges::all_of(request.method, token)) {
        return fail(Errc::usage,
                    str_cat("not an HTTP method: '", request.method.substr(0, 20), "'"));
    }
    const auto line_safe = [](std::string_view text) {
        return std::ranges::none_of(
            text, [](char c) { return (c >= 0 && c < ' ' && c != '\t') || c == '\x7f'; });
    };
    if (!line_safe(request.authorization)) {
        return fail(Errc::usage, "an Authorization value with a control character");
    }
    AIRLOCK_TRY_ASSIGN(const Target target, split_url(request.url));
    std::string head = str_cat(request.method,
                               " ",
                               target.path,
                               " HTTP/1.1\r\nHost: ",
                               target.host,
                               "\r\nConnection: close\r\n");
    for (const std::string& header : request.headers) {
        if (!line_safe(header)) {
            return fail(Errc::usage, "a request header with a line break");
        }
        head += header;
        head += "\r\n";
    }
    if (!request.authorization.empty()) {
        head += str_cat("Authorization: ", request.authorization, "\r\n");
    }
    if (request.body_source) {
        head += request.body_size ? str_cat("Content-Length: ", *request.body_size, "\r\n")
                                  : std::string("Transfer-Encoding: chunked\r\n");
    } else if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        head += str_cat("Content-Length: ", request.body.size(), "\r\n");
    }
    head += "\r\n";
    return head;
}

Result<> send_request(const Request& request, const ByteSink& out)
{
    AIRLOCK_TRY_ASSIGN(const std::string head, request_head(request));
    AIRLOCK_TRY(out(head));
    if (!request.body_source) {
        return request.body.empty() ? Result<>() : out(request.body);
    }
    const bool chunked = !request.body_size;
    std::vector<char> buffer(k_read_size);
    std::uint64_t sent = 0;
    for (;;) {
        AIRLOCK_TRY_ASSIGN(const std::size_t n, request.body_source(buffer));
        if (n == 0) {
            break;
        }
        const std::span<const char> data(buffer.data(), n);
        sent += n;
        if (!chunked && sent > *request.body_size) {
            return fail(
                Errc::internal,
                str_cat("a request body longer than the ", *request.body_size, " bytes announced"));
        }
        if (chunked) {
            char size[20];
            const auto end = std::to_chars(std::begin(size), std::end(size), n, 16).ptr;
            AIRLOCK_TRY(out(std::span<const char>(std::begin(size), end)));
            AIRLOCK_TRY(out(std::string_view("\r\n")));
            AIRLOCK_TRY(out(data));
            AIRLOCK_TRY(out(std::string_view("\r\n")));
        } else {
            AIRLOCK_TRY(out(data));
        }
    }
    if (!chunked && sent != *request.body_size) {
        return fail(
            Errc::internal,
            str_cat("a request body of ", sent, " bytes, announced as ", *request.body_size));
    }
    return chunked ? out(std::string_view("0\r\n\r\n")) : Result<>();
}

Result<Response>
read_response(const ByteSource& in, std::string_view method, const BodyHandler& on_body)
{
    Reader reader(in);
    Response response;
    AIRLOCK_TRY(read_head(reader, response));
    AIRLOCK_TRY_ASSIGN(const Framing frame, framing(response, method));
    if (frame.chunked) {
        AIRLOCK_TRY(read_chunked(reader, response, on_body));
    } else {
        AIRLOCK_TRY(read_exactly(reader, frame.length, response, on_body));
    }
    return response;
}

} // namespace airlock::http::http1

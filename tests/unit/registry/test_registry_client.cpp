// SPDX-License-Identifier: Apache-2.0
//
// RegistryClient against scripted answers: auth (anonymous, Basic, Bearer per scope and its
// renewal), retries (statuses, Retry-After, connection errors, limits, Ctrl-C), streamed
// request and response bodies, and manifest digests. The end-to-end behaviour against real
// registries stays with tests/cli/registry_*.sh.

#include "../scratch.hpp"
#include "scripted_transport.hpp"

#include <airlock/base/cancel.hpp>
#include <airlock/registry/client.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <mutex>

using namespace airlock;
using namespace airlock::registry;
using airlock::test::connection_refused;
using airlock::test::Reply;
using airlock::test::ScriptedTransport;

namespace {

using std::chrono::milliseconds;

const std::string k_host = "registry.test";
const std::string k_base = "https://registry.test";
const std::string k_ping = k_base + "/v2/";
const std::string k_realm = "https://auth.test/token";
const std::string k_bearer_challenge =
    R"(Bearer realm="https://auth.test/token",service="registry.test")";
const std::string k_pull_scope = "scope=repository%3Alibrary%2Falpine%3Apull";
const std::string k_token_url = k_realm + "?service=registry.test&" + k_pull_scope;
const std::string k_manifest_url = k_base + "/v2/library/alpine/manifests/3.20";
const std::string k_user_pass_basic = "Basic dXNlcjpwYXNz"; // user:pass

// A manifest and its digest.
const std::string k_manifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]})";
const std::string k_manifest_digest =
    "sha256:b0ff67b72a1d087090ad4fe635c35ad2752dd27d26f9435bb7877f40ecdc0bc3";
const std::string k_other_digest = "sha256:" + std::string(64, 'a');

using Headers = std::vector<std::pair<std::string, std::string>>;

// An answer with status `code`, `body` and `headers`.
Reply answer(long code, std::string body = {}, Headers headers = {})
{
    Reply reply;
    reply.status = code;
    reply.body = std::move(body);
    reply.headers = std::move(headers);
    return reply;
}

Reply status(long code, Headers headers = {})
{
    return answer(code, {}, std::move(headers));
}

Reply manifest_reply()
{
    return answer(
        200, k_manifest, {{"Content-Type", "application/vnd.oci.image.manifest.v1+json"}});
}

Reply token(const std::string& value)
{
    return answer(200, R"({"token":")" + value + R"("})");
}

Reply bearer_refusal()
{
    return status(401, {{"WWW-Authenticate", k_bearer_challenge}});
}

Reply network_error(const std::string& url)
{
    Reply reply;
    reply.error = connection_refused(url);
    return reply;
}

class CapturingReporter final : public Reporter
{
  public:
    void info(std::string_view message) override
    {
        const std::lock_guard lock(m_mutex);
        infos.emplace_back(message);
    }

    void warn(std::string_view message) override
    {
        const std::lock_guard lock(m_mutex);
        warnings.emplace_back(message);
    }

    void progress(const Progress& /*progress*/) override {}

    void phase_end(const Progress& /*last*/) override {}

    std::vector<std::string> infos;
    std::vector<std::string> warnings;

  private:
    std::mutex m_mutex;
};

// Options that read no user's auth file and wait a millisecond or two between retries.
struct Setup
{
    test::Scratch scratch;
    RegistryOptions options;
    CapturingReporter reporter;
    ScriptedTransport transport;

    Setup()
    {
        std::ofstream(scratch.path() / "config.json") << "{}";
        options.auth_file = scratch.path() / "config.json";
        options.retry_delays =
            RetryDelays{milliseconds(1), milliseconds(2), std::chrono::seconds(0)};
    }

    // Connects to registry.test, whose ping gets `ping`.
    std::shared_ptr<RegistryClient> connect(Reply ping = status(200))
    {
        transport.expect("GET", k_ping, std::move(ping));
        auto client = RegistryClient::connect(k_host, options, reporter, transport);
        REQUIRE_MESSAGE(client, (client ? "" : client.error().message));
        return *client;
    }

    Result<FetchedManifest> get_alpine(RegistryClient& client, const std::string& ref = "3.20")
    {
        return client.get_manifest(transport, "library/alpine", ref);
    }

    bool said(std::string_view text) const
    {
        return std::any_of(reporter.infos.begin(), reporter.infos.end(), [&](const auto& line) {
            return line.find(text) != std::string::npos;
        });
    }
};

// Checks that `result` is an error of class `code` whose message says `text`.
template<class T> void check_fails(const Result<T>& result, Errc code, std::string_view text = {})
{
    REQUIRE_FALSE(result);
    CHECK(result.error().code == code);
    CHECK_MESSAGE(result.error().message.find(text) != std::string::npos, result.error().message);
}

// Resets the process-wide stop flag when a test that requested a stop ends.
struct CancelGuard
{
    CancelGuard() = default;
    CancelGuard(const CancelGuard&) = delete;
    CancelGuard& operator=(const CancelGuard&) = delete;

    ~CancelGuard()
    {
        clear_cancel();
    }
};

} // namespace

TEST_CASE("registry::RegistryClient::connect")
{
    Setup s;
    SUBCASE("a 200 means anonymous access: requests carry no Authorization")
    {
        auto client = s.connect();
        s.transport.expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        CHECK(s.transport.sent().at(1).authorization.empty());
        CHECK(s.transport.pending() == 0);
    }
    SUBCASE("docker.io is reached at registry-1.docker.io")
    {
        s.transport.expect("GET", "https://registry-1.docker.io/v2/", status(200));
        CHECK(RegistryClient::connect("docker.io", s.options, s.reporter, s.transport));
    }
    SUBCASE("another answer than 200 or 401: not a registry")
    {
        s.transport.expect("GET", k_ping, status(404));
        auto client = RegistryClient::connect(k_host, s.options, s.reporter, s.transport);
        check_fails(client, Errc::http_status, "is it an OCI registry?");
    }
    SUBCASE("connection errors are retried")
    {
        s.transport.expect("GET", k_ping, network_error(k_ping))
            .expect("GET", k_ping, network_error(k_ping))
            .expect("GET", k_ping, status(200));
        CHECK(RegistryClient::connect(k_host, s.options, s.reporter, s.transport));
        CHECK(s.said("retry 2 of 4"));
    }
    SUBCASE("out of attempts, the error says so")
    {
        s.options.attempts = 3;
        for (int i = 0; i < 3; ++i) {
            s.transport.expect("GET", k_ping, network_error(k_ping));
        }
        auto client = RegistryClient::connect(k_host, s.options, s.reporter, s.transport);
        check_fails(client, Errc::network, "gave up after 3 attempts");
        CHECK(client.error().context.at(0) == "while contacting registry registry.test");
    }
    SUBCASE("an --insecure-registry answers plain HTTP after one failed https attempt")
    {
        s.options.insecure.insert(k_host);
        s.transport.expect("GET", k_ping, network_error(k_ping))
            .expect("GET", "http://registry.test/v2/", status(200));
        auto client = RegistryClient::connect(k_host, s.options, s.reporter, s.transport);
        REQUIRE(client);
        CHECK_FALSE(s.transport.sent().at(0).tls.verify);
        REQUIRE(s.reporter.warnings.size() == 1);
        CHECK(s.reporter.warnings[0].find("plain HTTP") != std::string::npos);
    }
}

TEST_CASE("registry::RegistryClient Bearer tokens")
{
    Setup s;
    SUBCASE("a challenge at the ping: the first request already carries a token for its scope")
    {
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, token("T"))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        const auto& sent = s.transport.sent();
        CHECK(sent.at(1).authorization.empty()); // anonymous token request
        CHECK(sent.at(2).authorization == "Bearer T");
        CHECK_FALSE(sent.at(2).header("Authorization")); // not as a raw header line
    }
    SUBCASE("a challenge on a request: a token is fetched and the request sent again")
    {
        auto client = s.connect();
        s.transport.expect("GET", k_manifest_url, bearer_refusal())
            .expect("GET", k_token_url, token("T"))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        CHECK(s.transport.sent().at(1).authorization.empty());
        CHECK(s.transport.sent().at(3).authorization == "Bearer T");
    }
    SUBCASE("tokens are cached per scope")
    {
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, token("T"))
            .expect("GET", k_manifest_url, manifest_reply())
            .expect("GET", k_manifest_url, manifest_reply())
            .expect("GET",
                    k_realm + "?service=registry.test&scope=repository%3Aother%3Apull",
                    token("U"))
            .expect("GET", k_base + "/v2/other/manifests/1", manifest_reply());
        REQUIRE(s.get_alpine(*client));
        REQUIRE(s.get_alpine(*client));
        REQUIRE(client->get_manifest(s.transport, "other", "1"));
        CHECK(s.transport.sent().at(3).authorization == "Bearer T");
        CHECK(s.transport.sent().at(5).authorization == "Bearer U");
    }
    SUBCASE("a mount asks for push here and pull at the source, as two scope parameters")
    {
        auto client = s.connect(bearer_refusal());
        const std::string mount =
            k_base + "/v2/dst/blobs/uploads/?mount=" + k_manifest_digest + "&from=src";
        s.transport
            .expect("GET",
                    k_realm
                        + "?service=registry.test&scope=repository%3Adst%3Apull%2Cpush"
                          "&scope=repository%3Asrc%3Apull",
                    token("T"))
            .expect("POST", mount, status(201));
        auto mounted = client->mount_blob(
            s.transport, "dst", manifest::Digest::parse(k_manifest_digest).value(), "src");
        REQUIRE(mounted);
        CHECK(*mounted);
    }
    SUBCASE("an expired token is renewed once, then the request sent again")
    {
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, token("T1"))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        s.transport.expect("GET", k_manifest_url, bearer_refusal())
            .expect("GET", k_token_url, token("T2"))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        const auto& sent = s.transport.sent();
        REQUIRE(sent.size() == 6);
        CHECK(sent.at(3).authorization == "Bearer T1");
        CHECK(sent.at(5).authorization == "Bearer T2");
    }
    SUBCASE("a second 401 after the renewal is an auth error, not a loop")
    {
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, token("T1"))
            .expect("GET", k_manifest_url, bearer_refusal())
            .expect("GET", k_token_url, token("T2"))
            .expect("GET", k_manifest_url, bearer_refusal());
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::auth, "refused the credentials");
        CHECK(s.transport.sent().size() == 5);
        CHECK(s.transport.pending() == 0);
    }
    SUBCASE("the token service refusing anonymous access is an auth error")
    {
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, status(401));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::auth, "anonymous access");
    }
    SUBCASE("token requests are retried like any other")
    {
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, status(503))
            .expect("GET", k_token_url, token("T"))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        CHECK(s.transport.sent().at(3).authorization == "Bearer T");
    }
}

TEST_CASE("registry::RegistryClient credentials")
{
    Setup s;
    s.options.creds = "user:pass";
    SUBCASE("Basic: the credentials go to the registry with each request")
    {
        auto client = s.connect(status(401, {{"WWW-Authenticate", R"(Basic realm="Registry")"}}));
        s.transport.expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        CHECK(s.transport.sent().at(1).authorization == k_user_pass_basic);
    }
    SUBCASE("Basic without credentials: an auth error before any request")
    {
        s.options.creds.clear();
        auto client = s.connect(status(401, {{"WWW-Authenticate", R"(Basic realm="Registry")"}}));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::auth);
        CHECK(s.transport.sent().size() == 1);
    }
    SUBCASE("Bearer: the credentials go to the realm the registry names, never to the registry")
    {
        // The realm is another host (auth.test): it gets the credentials, as the token protocol
        // has it; the registry only ever sees the token.
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, token("T"))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        const auto& sent = s.transport.sent();
        CHECK(sent.at(1).authorization == k_user_pass_basic);
        for (const auto& request : sent) {
            if (request.url.starts_with(k_base)) {
                CHECK(request.authorization.find("Basic") == std::string::npos);
            }
        }
        CHECK(sent.at(2).authorization == "Bearer T");
    }
    SUBCASE("a realm over plain HTTP gets nothing, credentials or token request")
    {
        auto client = s.connect(
            status(401, {{"WWW-Authenticate", R"(Bearer realm="http://auth.test/token")"}}));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::auth, "plain HTTP");
        CHECK(s.transport.sent().size() == 1);
    }
    SUBCASE("the token service refusing the credentials is an auth error")
    {
        auto client = s.connect(bearer_refusal());
        s.transport.expect("GET", k_token_url, status(401));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::auth, "wrong username or password");
    }
}

TEST_CASE("registry::RegistryClient retries")
{
    Setup s;
    auto client = s.connect();
    SUBCASE("503 and 429 are retried, and said")
    {
        s.transport.expect("GET", k_manifest_url, status(503))
            .expect("GET", k_manifest_url, status(429))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        CHECK(s.said("registry registry.test: answered 503; retry 1 of 4 in 1 ms"));
        CHECK(s.said("answered 429; retry 2 of 4 in 2 ms"));
    }
    SUBCASE("a connection error is retried")
    {
        s.transport.expect("GET", k_manifest_url, network_error(k_manifest_url))
            .expect("GET", k_manifest_url, manifest_reply());
        REQUIRE(s.get_alpine(*client));
        CHECK(s.said("Connection refused; retry 1 of 4"));
    }
    SUBCASE("404 is an answer, not a failure: no retry")
    {
        s.transport.expect("GET", k_manifest_url, status(404));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::not_found);
        CHECK(s.transport.sent().size() == 2);
    }
    SUBCASE("out of attempts, the last answer stands")
    {
        s.options.attempts = 2;
        s.transport.expect("GET", k_manifest_url, status(503))
            .expect("GET", k_manifest_url, status(503));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::http_status, "registry answered 503");
        CHECK(s.transport.pending() == 0);
    }
    SUBCASE("out of attempts after connection errors, the error says so")
    {
        s.options.attempts = 2;
        s.transport.expect("GET", k_manifest_url, network_error(k_manifest_url))
            .expect("GET", k_manifest_url, network_error(k_manifest_url));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::network, "gave up after 2 attempts");
    }
    SUBCASE("Retry-After is honoured")
    {
        // The exponential delay would end past the time budget, so without Retry-After there
        // is no retry; the server's "0" is what allows one.
        s.options.retry_delays.first = std::chrono::minutes(1);
        s.options.retry_delays.longest = std::chrono::minutes(1);
        s.options.retry_time = std::chrono::seconds(10);
        SUBCASE("without it")
        {
            s.transport.expect("GET", k_manifest_url, status(503));
            check_fails(s.get_alpine(*client), Errc::http_status, "registry answered 503");
        }
        SUBCASE("with it")
        {
            s.transport.expect("GET", k_manifest_url, status(503, {{"Retry-After", "0"}}))
                .expect("GET", k_manifest_url, manifest_reply());
            CHECK(s.get_alpine(*client));
            CHECK(s.said("answered 503; retry 1 of 4 in 0 ms"));
        }
    }
    SUBCASE("Ctrl-C ends the wait before a retry at once")
    {
        const CancelGuard guard;
        s.options.retry_delays.first = std::chrono::seconds(30);
        s.options.retry_delays.longest = std::chrono::seconds(30);
        Reply unavailable = status(503);
        unavailable.on_send = [] { request_cancel(); };
        s.transport.expect("GET", k_manifest_url, std::move(unavailable));
        const auto start = std::chrono::steady_clock::now();
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::cancelled);
        CHECK(std::chrono::steady_clock::now() - start < milliseconds(500));
        CHECK(s.transport.sent().size() == 2);
    }
}

TEST_CASE("registry::RegistryClient::upload_blob")
{
    Setup s;
    auto client = s.connect();
    const auto digest = manifest::Digest::parse(k_other_digest).value();
    const std::string blob = "0123456789";
    std::size_t offset = 0;
    const auto source = [&](std::span<char> out) -> Result<std::size_t> {
        const std::size_t n = std::min(out.size(), blob.size() - offset);
        std::copy_n(blob.data() + offset, n, out.data());
        offset += n;
        return n;
    };
    const std::string uploads = k_base + "/v2/repo/blobs/uploads/";
    const std::string session = k_base + "/v2/repo/blobs/uploads/u1";
    const std::string put = session + "?digest=sha256%3A" + std::string(64, 'a');
    s.transport.expect("POST", uploads, status(202, {{"Location", "/v2/repo/blobs/uploads/u1"}}));
    const auto upload = [&] {
        return client->upload_blob(s.transport, "repo", digest, 10, source, 1U << 20U);
    };

    SUBCASE("a body none of which was taken is sent again after a 503")
    {
        Reply early = status(503);
        early.take_body = 0;
        s.transport.expect("PUT", put, std::move(early)).expect("PUT", put, status(201));
        REQUIRE(upload());
        CHECK(s.transport.sent().at(2).body.empty());
        CHECK(s.transport.sent().at(3).body == blob);
    }
    SUBCASE("a body none of which was taken is sent again after a connection error")
    {
        Reply refused = network_error(put);
        refused.take_body = 0;
        s.transport.expect("PUT", put, std::move(refused)).expect("PUT", put, status(201));
        REQUIRE(upload());
        CHECK(s.transport.sent().at(3).body == blob);
    }
    SUBCASE("a body none of which was taken is sent again with a renewed token")
    {
        Reply expired = bearer_refusal();
        expired.take_body = 0;
        s.transport.expect("PUT", put, std::move(expired))
            .expect("GET",
                    k_realm + "?service=registry.test&scope=repository%3Arepo%3Apull%2Cpush",
                    token("T"))
            .expect("PUT", put, status(201));
        REQUIRE(upload());
        CHECK(s.transport.sent().at(4).authorization == "Bearer T");
        CHECK(s.transport.sent().at(4).body == blob);
    }
    SUBCASE("a body partly taken is not sent again after a 503")
    {
        Reply late = status(503);
        late.take_body = 3;
        s.transport.expect("PUT", put, std::move(late));
        auto uploaded = upload();
        check_fails(uploaded, Errc::http_status, "answered 503 to the upload of blob");
        CHECK(s.transport.sent().size() == 3);
    }
    SUBCASE("a body partly taken is not sent again after a broken connection")
    {
        Reply cut = network_error(put);
        cut.take_body = 3;
        s.transport.expect("PUT", put, std::move(cut));
        auto uploaded = upload();
        check_fails(uploaded, Errc::network);
        CHECK(s.transport.sent().size() == 3);
    }
    CHECK(s.transport.pending() == 0);
}

TEST_CASE("registry::RegistryClient::get_blob")
{
    Setup s;
    auto client = s.connect(bearer_refusal());
    const auto digest = manifest::Digest::parse(k_other_digest).value();
    const std::string blob_url = k_base + "/v2/library/alpine/blobs/" + k_other_digest;
    std::string received;
    const http::BodySink sink = [&](const http::Response& head,
                                    std::span<const char> chunk) -> Result<> {
        CHECK(head.status / 100 == 2);
        received.append(chunk.data(), chunk.size());
        return {};
    };
    s.transport.expect("GET", k_token_url, token("T"));

    SUBCASE("the token travels as Request::authorization, which no redirect carries elsewhere")
    {
        // Redirects are followed below the Transport (http::Client drops the Authorization on
        // another origin); what the registry client controls is that the token never goes in
        // as a plain header line, which would follow.
        Reply redirected = answer(206, "456789");
        redirected.url = "https://storage.test/blob?signature=x";
        s.transport.expect("GET", blob_url, std::move(redirected));
        auto response = client->get_blob(s.transport, "library/alpine", digest, 4, sink);
        REQUIRE(response);
        CHECK(response->status == 206);
        CHECK(response->url == "https://storage.test/blob?signature=x");
        CHECK(received == "456789");
        const auto& request = s.transport.sent().at(2);
        CHECK(request.streamed);
        CHECK(request.range_start == std::optional<std::uint64_t>(4));
        CHECK(request.authorization == "Bearer T");
        CHECK_FALSE(request.header("Authorization"));
    }
    SUBCASE("a 503 is retried: nothing reached the sink")
    {
        s.transport.expect("GET", blob_url, status(503))
            .expect("GET", blob_url, answer(200, "0123456789"));
        REQUIRE(client->get_blob(s.transport, "library/alpine", digest, std::nullopt, sink));
        CHECK(received == "0123456789");
    }
    SUBCASE("a broken transfer is not retried: its owner resumes it")
    {
        Reply broken = answer(200, "0123");
        broken.error = Error{Errc::network, "transfer stalled or timed out", {}};
        s.transport.expect("GET", blob_url, std::move(broken));
        auto response = client->get_blob(s.transport, "library/alpine", digest, std::nullopt, sink);
        check_fails(response, Errc::network);
        CHECK(received == "0123");
        CHECK(s.transport.sent().size() == 3);
    }
    CHECK(s.transport.pending() == 0);
}

TEST_CASE("registry::RegistryClient::get_manifest digests")
{
    Setup s;
    auto client = s.connect();
    SUBCASE("by digest: the body must hash to it")
    {
        s.transport.expect(
            "GET", k_base + "/v2/library/alpine/manifests/" + k_manifest_digest, manifest_reply());
        auto manifest = s.get_alpine(*client, k_manifest_digest);
        REQUIRE(manifest);
        CHECK(manifest->digest.str() == k_manifest_digest);
        CHECK(manifest->bytes == k_manifest);
        CHECK(manifest->media_type == "application/vnd.oci.image.manifest.v1+json");
        s.transport.expect(
            "GET", k_base + "/v2/library/alpine/manifests/" + k_other_digest, manifest_reply());
        manifest = s.get_alpine(*client, k_other_digest);
        check_fails(manifest, Errc::digest_mismatch);
    }
    SUBCASE("by tag: the body must hash to the Docker-Content-Digest declared")
    {
        Reply declared = manifest_reply();
        declared.headers.emplace_back("Docker-Content-Digest", k_manifest_digest);
        s.transport.expect("GET", k_manifest_url, std::move(declared));
        REQUIRE(s.get_alpine(*client));
        Reply wrong = manifest_reply();
        wrong.headers.emplace_back("Docker-Content-Digest", k_other_digest);
        s.transport.expect("GET", k_manifest_url, std::move(wrong));
        auto manifest = s.get_alpine(*client);
        check_fails(manifest, Errc::digest_mismatch, k_other_digest);
    }
    SUBCASE("schema 1 is refused")
    {
        s.transport.expect("GET",
                           k_manifest_url,
                           answer(200,
                                  "{}",
                                  {{"Content-Type",
                                    "application/vnd.docker.distribution.manifest.v1+prettyjws"}}));
        check_fails(s.get_alpine(*client), Errc::unsupported, "schema 1");
    }
    SUBCASE("put_manifest: the registry must store it under its own digest")
    {
        const std::string url = k_base + "/v2/repo/manifests/1";
        s.transport.expect("PUT", url, status(201, {{"Docker-Content-Digest", k_manifest_digest}}));
        auto digest = client->put_manifest(
            s.transport, "repo", "1", "application/vnd.oci.image.manifest.v1+json", k_manifest);
        REQUIRE(digest);
        CHECK(digest->digest.str() == k_manifest_digest);
        CHECK_FALSE(digest->subject_indexed);
        CHECK(s.transport.sent().at(1).body == k_manifest);
        s.transport.expect("PUT", url, status(201, {{"Docker-Content-Digest", k_other_digest}}));
        digest = client->put_manifest(
            s.transport, "repo", "1", "application/vnd.oci.image.manifest.v1+json", k_manifest);
        check_fails(digest, Errc::digest_mismatch, "registry stored repo:1 as " + k_other_digest);
    }
}

TEST_CASE("registry::RegistryClient::referrers")
{
    Setup s;
    auto client = s.connect();
    const auto digest = manifest::Digest::parse(k_manifest_digest).value();
    const std::string url = k_base + "/v2/library/alpine/referrers/" + k_manifest_digest;
    SUBCASE("404: no referrers API, the referrers tag stands in")
    {
        s.transport.expect("GET", url, status(404));
        const auto pages = client->referrers(s.transport, "library/alpine", digest);
        REQUIRE(pages);
        CHECK_FALSE(pages->has_value());
    }
    SUBCASE("every page, following Link rel=next")
    {
        s.transport
            .expect("GET",
                    url,
                    answer(200,
                           R"({"manifests":[]})",
                           {{"Link", "</v2/library/alpine/referrers/x?last=1>; rel=\"next\""}}))
            .expect("GET",
                    k_base + "/v2/library/alpine/referrers/x?last=1",
                    answer(200, R"({"manifests":[1]})"));
        const auto pages = client->referrers(s.transport, "library/alpine", digest);
        REQUIRE(pages);
        REQUIRE(pages->has_value());
        CHECK((*pages)->size() == 2);
        CHECK((*pages)->at(1) == R"({"manifests":[1]})");
    }
    SUBCASE("400 and 405: a registry that has no such endpoint, the referrers tag stands in")
    {
        for (const long refused : {400L, 405L}) {
            s.transport.expect("GET", url, status(refused));
            const auto pages = client->referrers(s.transport, "library/alpine", digest);
            REQUIRE(pages);
            CHECK_FALSE(pages->has_value());
        }
    }
    SUBCASE("another answer is an error, not an empty list")
    {
        s.transport.expect("GET", url, status(403));
        check_fails(client->referrers(s.transport, "library/alpine", digest), Errc::auth);
    }
    CHECK(s.transport.pending() == 0);
}

TEST_CASE("registry::RegistryClient::probe_tag")
{
    Setup s;
    auto client = s.connect();
    const std::string tag = "sha256-" + std::string(64, 'a') + ".sig";
    const std::string url = k_base + "/v2/library/alpine/manifests/" + tag;
    SUBCASE("a HEAD, for pull: absent")
    {
        s.transport.expect("HEAD", url, status(404));
        const auto probe = client->probe_tag(s.transport, "library/alpine", tag);
        REQUIRE(probe);
        CHECK_FALSE(probe->exists);
    }
    SUBCASE("present, with the digest the registry names")
    {
        s.transport.expect(
            "HEAD", url, answer(200, "", {{"Docker-Content-Digest", k_manifest_digest}}));
        const auto probe = client->probe_tag(s.transport, "library/alpine", tag);
        REQUIRE(probe);
        CHECK(probe->exists);
        REQUIRE(probe->digest);
        CHECK(probe->digest->str() == k_manifest_digest);
    }
    SUBCASE("present, without a usable digest: the caller reads it by tag")
    {
        s.transport.expect("HEAD", url, answer(200, "", {{"Docker-Content-Digest", "md5:12"}}));
        const auto probe = client->probe_tag(s.transport, "library/alpine", tag);
        REQUIRE(probe);
        CHECK(probe->exists);
        CHECK_FALSE(probe->digest);
    }
    SUBCASE("another answer is an error")
    {
        s.transport.expect("HEAD", url, status(400));
        check_fails(client->probe_tag(s.transport, "library/alpine", tag), Errc::http_status);
    }
    CHECK(s.transport.pending() == 0);
}

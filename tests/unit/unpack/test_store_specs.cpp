// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/environment.hpp>
#include <airlock/base/host_system.hpp>
#include <airlock/unpack/import.hpp>

#include <doctest/doctest.h>

#include <cstdlib>

using namespace airlock;
using namespace airlock::unpack;

TEST_CASE("unpack::parse_registry_target")
{
    auto t = parse_registry_target("docker://reg.local:5000/mirror/base/");
    REQUIRE(t);
    CHECK(t->host == "reg.local:5000");
    CHECK(t->prefix == "mirror/base");
    CHECK(parse_registry_target("docker://reg.local")->prefix.empty());
    CHECK(parse_registry_target("docker://reg.local/UPPER").error().code == Errc::usage);
    CHECK(parse_registry_target("oci:/x").error().code == Errc::usage);
}

TEST_CASE("unpack::target_repository")
{
    const RegistryTarget mirror{"reg.local", "mirror"};
    CHECK(target_repository("mcr.microsoft.com/windows/servercore", mirror, false).value()
          == "mirror/windows/servercore");
    CHECK(target_repository("mcr.microsoft.com/windows/servercore", mirror, true).value()
          == "mirror/mcr.microsoft.com/windows/servercore");
    CHECK(target_repository("docker.io/library/alpine", mirror, false).value()
          == "mirror/library/alpine");
    CHECK(target_repository("localhost:5000/app", RegistryTarget{"r", ""}, true).value()
          == "localhost-5000/app");
    CHECK(target_repository("localhost/sample", RegistryTarget{"r", ""}, false).value()
          == "sample");
}

TEST_CASE("unpack::parse_engine_target")
{
    using Kind = http::LocalEndpoint::Kind;
    airlock::set_environment("DOCKER_HOST", std::nullopt);
    const auto engine = [](std::string_view spec) { return parse_engine_target(spec)->endpoint; };
    // Each system's engine where it listens by default.
    if (airlock::host_is_windows()) {
        CHECK(engine("docker-engine").kind == Kind::named_pipe);
        CHECK(engine("docker-engine").path == "\\\\.\\pipe\\docker_engine");
    } else {
        CHECK(engine("docker-engine").kind == Kind::unix_socket);
        CHECK(engine("docker-engine").path == "/var/run/docker.sock");
    }
    CHECK(engine("docker-engine:unix:///run/user/1000/docker.sock").path
          == "/run/user/1000/docker.sock");
    CHECK(parse_engine_target("docker-engine:tcp://1.2.3.4:2375").error().code
          == Errc::unsupported);
    airlock::set_environment("DOCKER_HOST", "unix:///tmp/d.sock");
    CHECK(engine("docker-engine").path == "/tmp/d.sock");
    airlock::set_environment("DOCKER_HOST", std::nullopt);

    // Docker's form of a named pipe and the one Windows writes.
    CHECK(engine("docker-engine:npipe:////./pipe/docker_engine").kind == Kind::named_pipe);
    CHECK(engine("docker-engine:npipe:////./pipe/docker_engine").path
          == "\\\\.\\pipe\\docker_engine");
    CHECK(engine("docker-engine:npipe://\\\\.\\pipe\\dockerDesktopEngine").path
          == "\\\\.\\pipe\\dockerDesktopEngine");
    CHECK(engine("docker-engine:npipe:////./pipe/docker_engine").address()
          == "npipe:////./pipe/docker_engine");
    // Only local pipes: a remote machine's pipe or a path inside the pipe name is refused.
    CHECK(parse_engine_target("docker-engine:npipe:////server/pipe/docker_engine").error().code
          == Errc::usage);
    CHECK(parse_engine_target("docker-engine:npipe:////./pipe/a/b").error().code == Errc::usage);
    CHECK(engine("docker-engine:npipe:////./PIPE/docker_engine").kind == Kind::named_pipe);
    CHECK(parse_engine_target("docker-engine:npipe://").error().code == Errc::usage);
}

TEST_CASE("unpack::parse_containerd_target")
{
    auto t = parse_containerd_target("containerd");
    REQUIRE(t);
    CHECK(t->socket == "/run/containerd/containerd.sock");
    CHECK(t->namespace_name == "default");
    t = parse_containerd_target("containerd:/run/k3s/containerd/containerd.sock?namespace=k8s.io");
    REQUIRE(t);
    CHECK(t->socket == "/run/k3s/containerd/containerd.sock");
    CHECK(t->namespace_name == "k8s.io");
    CHECK(parse_containerd_target("containerd?namespace=k8s.io")->namespace_name == "k8s.io");
    CHECK(parse_containerd_target("containerd?ns=x").error().code == Errc::usage);
}

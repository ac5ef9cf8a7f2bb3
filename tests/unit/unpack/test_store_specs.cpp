// SPDX-License-Identifier: Apache-2.0
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
    ::unsetenv("DOCKER_HOST");
    CHECK(parse_engine_target("docker-engine")->socket == "/var/run/docker.sock");
    CHECK(parse_engine_target("docker-engine:unix:///run/user/1000/docker.sock")->socket
          == "/run/user/1000/docker.sock");
    CHECK(parse_engine_target("docker-engine:tcp://1.2.3.4:2375").error().code
          == Errc::unsupported);
    ::setenv("DOCKER_HOST", "unix:///tmp/d.sock", 1);
    CHECK(parse_engine_target("docker-engine")->socket == "/tmp/d.sock");
    ::unsetenv("DOCKER_HOST");
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

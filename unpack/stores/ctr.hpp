// SPDX-License-Identifier: Apache-2.0
#pragma once

// containerd through its ctr client, as import --to containerd, its inventory and rm/prune on
// that store use it (containerd.cpp says why ctr rather than the gRPC API).

#include <airlock/base/error.hpp>
#include <airlock/base/process.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/unpack/store_spec.hpp>

#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace airlock::unpack {

// The store as messages name it: "containerd:SOCKET?namespace=NS".
inline std::string containerd_store_name(const ContainerdTarget& target)
{
    return str_cat("containerd:", target.socket, "?namespace=", target.namespace_name);
}

class Ctr
{
  public:
    explicit Ctr(const ContainerdTarget& target)
        : m_target(target)
    {
    }

    std::vector<std::string> command(std::initializer_list<std::string> args) const
    {
        std::vector<std::string> argv = {
            "ctr", "-a", m_target.socket, "-n", m_target.namespace_name};
        argv.insert(argv.end(), args);
        return argv;
    }

    // Image name -> target digest, as containerd holds them now.
    Result<std::map<std::string, std::string>> images() const
    {
        auto out = run_command(command({"images", "ls"}));
        if (!out) {
            return fail(out.error().code == Errc::not_found ? Errc::not_found : Errc::network,
                        str_cat("cannot list containerd images at ",
                                m_target.socket,
                                ": ",
                                out.error().message));
        }
        std::map<std::string, std::string> images;
        std::istringstream lines(*out);
        std::string line;
        std::getline(lines, line); // header
        while (std::getline(lines, line)) {
            std::istringstream fields(line);
            std::string ref;
            std::string type;
            std::string digest;
            if (fields >> ref >> type >> digest) {
                images[ref] = digest;
            }
        }
        return images;
    }

    // The digests of every blob in containerd's content store.
    Result<std::set<std::string>> blobs() const
    {
        auto out = run_command(command({"content", "ls", "--quiet"}));
        if (!out) {
            return fail(Errc::network,
                        str_cat("cannot list containerd content at ",
                                m_target.socket,
                                ": ",
                                out.error().message));
        }
        std::set<std::string> digests;
        std::istringstream lines(*out);
        std::string line;
        while (std::getline(lines, line)) {
            if (!line.empty()) {
                digests.insert(line);
            }
        }
        return digests;
    }

    Result<std::string> content(const std::string& digest) const
    {
        return run_command(command({"content", "get", digest}));
    }

  private:
    const ContainerdTarget& m_target;
};

} // namespace airlock::unpack

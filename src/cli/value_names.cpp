// SPDX-License-Identifier: Apache-2.0
#include "value_names.hpp"

#include <algorithm>

namespace airlock::cli {

CLI::Validator one_of(std::vector<std::string> values,
                      std::function<std::string(const std::string&)> refusal)
{
    std::string set;
    std::string alternatives; // "a, b or c"
    for (std::size_t i = 0; i < values.size(); ++i) {
        set += (i == 0 ? "{" : ",") + values[i];
        alternatives += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
    }
    set += "}";
    if (!refusal) {
        refusal = [alternatives](const std::string& value) {
            return "unknown value '" + value + "' (use " + alternatives + ")";
        };
    }
    return CLI::Validator(
        [values = std::move(values), refusal = std::move(refusal)](std::string& value) {
            const bool known = std::find(values.begin(), values.end(), value) != values.end();
            return known ? std::string() : refusal(value);
        },
        set);
}

CLI::Option* add_oci_store_option(CLI::App& cmd, std::string& store)
{
    return cmd.add_option("--store", store, "Store: oci:DIR (default: the embedded store)")
        ->type_name(value_name::oci_store);
}

CLI::Option* add_any_store_option(CLI::App& cmd, std::string& store)
{
    return cmd
        .add_option("--store",
                    store,
                    "Store: oci:DIR (default: the embedded store), docker://HOST[:PORT][/PREFIX], "
                    "docker-engine[:ADDRESS], containerd[:SOCKET][?namespace=NS] or podman")
        ->type_name(value_name::store);
}

} // namespace airlock::cli

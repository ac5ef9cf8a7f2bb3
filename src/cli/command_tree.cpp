// SPDX-License-Identifier: Apache-2.0
#include "command_tree.hpp"

#include "value_names.hpp"

#include <airlock/unpack/store_spec.hpp>

#include <algorithm>

namespace airlock::cli {

namespace {

// Whether the value name --help shows (`full`: the option's own name, then ":" and what each
// check says, as "TEXT:{auto,json,none}") is `name`.
bool is_named(const std::string& full, std::string_view name)
{
    return full == name || (full.starts_with(name) && full[name.size()] == ':');
}

// The set a CLI::IsMember or `one_of` check names ("{auto,json,none}").
std::vector<std::string> set_of(const std::string& full)
{
    std::vector<std::string> values;
    const std::size_t open = full.find(":{");
    const std::size_t close = full.find('}', open);
    if (open == std::string::npos || close == std::string::npos) {
        return values;
    }
    const std::string set = full.substr(open + 2, close - open - 2);
    for (std::size_t start = 0; start <= set.size();) {
        const std::size_t comma = std::min(set.find(',', start), set.size());
        values.push_back(set.substr(start, comma - start));
        start = comma + 1;
    }
    return values;
}

OptionDoc describe_option(const CLI::Option& option, bool everywhere)
{
    OptionDoc out;
    out.option = &option;
    for (const auto& name : option.get_snames()) {
        out.names.push_back("-" + name);
    }
    for (const auto& name : option.get_lnames()) {
        out.names.push_back("--" + name);
    }
    if (!option.nonpositional()) {
        out.operand = option.get_name();
    }
    out.repeatable = option.get_expected_max() > 1;
    out.required = option.get_required();
    out.everywhere = everywhere;
    if (option.get_items_expected_max() == 0) {
        return out; // a flag
    }
    const std::string full = option.get_type_name();
    out.choices = set_of(full);
    if (!out.choices.empty()) {
        out.kind = ValueKind::choice;
    } else if (is_named(full, value_name::file)) {
        out.kind = ValueKind::file;
    } else if (is_named(full, value_name::directory)) {
        out.kind = ValueKind::directory;
    } else if (is_named(full, value_name::store)) {
        out.kind = ValueKind::store;
        for (const std::string_view start : unpack::store_spec_starts()) {
            out.choices.emplace_back(start);
        }
    } else if (is_named(full, value_name::oci_store)) {
        out.kind = ValueKind::store;
        out.choices.emplace_back("oci:");
    } else if (is_named(full, value_name::command)) {
        out.kind = ValueKind::command;
    } else {
        out.kind = ValueKind::text;
    }
    return out;
}

CommandDoc describe(const CLI::App& app,
                    std::vector<std::string> path,
                    const std::vector<OptionDoc>& everywhere)
{
    CommandDoc out;
    out.app = &app;
    out.path = std::move(path);
    out.description = app.get_description();
    if (out.path.empty()) {
        // The top's own options, those of every command among them, in --help's order.
        for (const CLI::Option* option : app.get_options()) {
            const bool global = std::any_of(
                everywhere.begin(), everywhere.end(), [&](auto& o) { return o.option == option; });
            out.options.push_back(describe_option(*option, global));
        }
    } else {
        for (const CLI::Option* option : app.get_options()) {
            out.options.push_back(describe_option(*option, false));
        }
        out.options.insert(out.options.end(), everywhere.begin(), everywhere.end());
    }
    for (const CLI::App* sub : app.get_subcommands({})) {
        std::vector<std::string> sub_path = out.path;
        sub_path.push_back(sub->get_name());
        out.commands.push_back(describe(*sub, std::move(sub_path), everywhere));
    }
    return out;
}

void collect(const CommandDoc& command, std::vector<const CommandDoc*>& out)
{
    out.push_back(&command);
    for (const CommandDoc& sub : command.commands) {
        collect(sub, out);
    }
}

} // namespace

std::string CommandDoc::full_name() const
{
    std::string name = "airlock";
    for (const auto& word : path) {
        name += " " + word;
    }
    return name;
}

std::string CommandDoc::page_name() const
{
    std::string name = "airlock";
    for (const auto& word : path) {
        name += "-" + word;
    }
    return name;
}

CommandDoc describe_commands(const CLI::App& app)
{
    // Global options fall through from any command to the top (main.cpp), so each command
    // takes them too; --version and the top's own help flag are the top's alone.
    std::vector<OptionDoc> everywhere;
    for (const CLI::Option* option : app.get_options()) {
        if (option->nonpositional() && option != app.get_help_ptr()
            && option != app.get_version_ptr()) {
            everywhere.push_back(describe_option(*option, true));
        }
    }
    return describe(app, {}, everywhere);
}

std::vector<const CommandDoc*> all_commands(const CommandDoc& tree)
{
    std::vector<const CommandDoc*> out;
    collect(tree, out);
    return out;
}

} // namespace airlock::cli

// SPDX-License-Identifier: Apache-2.0
#include "usage_errors.hpp"

#include "console.hpp"
#include "json_shapes.hpp"
#include "outcome.hpp"

#include <airlock/base/str_cat.hpp>

#include <algorithm>
#include <iostream>

namespace airlock::cli {

namespace {

// Edits (insert, delete, replace, swap two neighbours) that make `a` into `b`: "pakc" is one
// swap from "pack", the commonest typo.
std::size_t edit_distance(const std::string& a, const std::string& b)
{
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

std::vector<std::string> subcommand_names(const CLI::App& app)
{
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) {
        names.push_back(sub->get_name());
    }
    return names;
}

// Every long and short option name of `app` and of the apps above it (global options such as
// --quiet fall through to the top).
std::vector<std::string> option_names(const CLI::App* app)
{
    std::vector<std::string> names;
    for (; app != nullptr; app = app->get_parent()) {
        for (const CLI::Option* option : app->get_options()) {
            for (const auto& name : option->get_lnames()) {
                names.push_back("--" + name);
            }
            for (const auto& name : option->get_snames()) {
                names.push_back("-" + name);
            }
        }
    }
    return names;
}

// The option `arg` ("--name", "--name=value", "-n") names in `app` or the apps above it.
const CLI::Option* find_option(const CLI::App* app, const std::string& arg)
{
    const std::string name = arg.substr(0, arg.find('='));
    for (; app != nullptr; app = app->get_parent()) {
        for (const CLI::Option* option : app->get_options()) {
            if (option->nonpositional() && option->check_name(name)) {
                return option;
            }
        }
    }
    return nullptr;
}

// What the command line asked for, as far as it can be followed: the deepest subcommand named,
// and the first word it could not place (an unknown command or option). Reading stops there:
// what follows an unknown option may be its value, a password for all anyone knows, and is
// never repeated back.
struct Reading
{
    CLI::App* command;
    std::string unknown_command;
    std::string unknown_option;
};

Reading read_command_line(CLI::App& app, const std::vector<std::string>& args)
{
    Reading out{&app, {}, {}};
    bool options_end = false;
    bool operands = false;   // past the subcommands: the rest are the command's own arguments
    bool skip_value = false; // the word after a known option that takes a value
    for (const auto& arg : args) {
        if (skip_value) {
            skip_value = false;
            continue;
        }
        if (!options_end && arg == "--") {
            options_end = true;
            continue;
        }
        if (!options_end && arg.size() > 1 && arg[0] == '-') {
            const CLI::Option* option = find_option(out.command, arg);
            if (option == nullptr) {
                out.unknown_option = arg.substr(0, arg.find('='));
                break;
            }
            skip_value = arg.find('=') == std::string::npos && option->get_items_expected_max() > 0;
            continue;
        }
        if (operands) {
            continue;
        }
        CLI::App* sub = nullptr;
        for (CLI::App* candidate : out.command->get_subcommands({})) {
            if (candidate->check_name(arg)) {
                sub = candidate;
            }
        }
        if (sub != nullptr) {
            out.command = sub;
            continue;
        }
        // A word where a subcommand is expected: the command takes no operands of its own.
        if (!out.command->get_subcommands({}).empty()
            && out.command->get_options([](const CLI::Option* o) { return o->get_positional(); })
                   .empty()) {
            out.unknown_command = arg;
            break;
        }
        operands = true;
    }
    return out;
}

// `message` with the value of every secret option on the command line blanked out: CLI11's own
// messages may quote any argument.
std::string without_secrets(std::string message, const std::vector<std::string>& args)
{
    constexpr std::string_view secret = "--creds";
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string value;
        if (args[i] == secret && i + 1 < args.size()) {
            value = args[i + 1];
        } else if (args[i].starts_with(std::string(secret) + "=")) {
            value = args[i].substr(secret.size() + 1);
        }
        for (std::size_t at = value.empty() ? std::string::npos : message.find(value);
             at != std::string::npos;
             at = message.find(value, at)) {
            message.replace(at, value.size(), "<redacted>");
        }
    }
    return message;
}

std::string command_path(const CLI::App* app)
{
    std::string path;
    for (; app != nullptr; app = app->get_parent()) {
        path = app->get_parent() == nullptr ? "airlock" + path : " " + app->get_name() + path;
    }
    return path;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& known)
{
    const std::string near = nearest(word, known);
    return near.empty() ? std::string() : str_cat("; did you mean '", near, "'?");
}

std::string message_for(const Reading& reading, const CLI::ParseError& e)
{
    const std::string path = command_path(reading.command);
    if (!reading.unknown_command.empty()) {
        const auto names = subcommand_names(*reading.command);
        std::string list;
        for (const auto& name : names) {
            list += (list.empty() ? "" : ", ") + name;
        }
        return str_cat("unknown command '",
                       reading.unknown_command,
                       "' for '",
                       path,
                       "'",
                       suggestion(reading.unknown_command, names),
                       " (commands: ",
                       list,
                       "; see '",
                       path,
                       " --help')");
    }
    if (!reading.unknown_option.empty()) {
        const std::string& name = reading.unknown_option;
        return str_cat("unknown option '",
                       name,
                       "' for '",
                       path,
                       "'",
                       suggestion(name, option_names(reading.command)),
                       " (see '",
                       path,
                       " --help')");
    }
    if (reading.command->get_parent() == nullptr || !reading.command->get_subcommands({}).empty()) {
        if (std::string(e.what()).find("subcommand") != std::string::npos) {
            return str_cat("'", path, "' needs a command (see '", path, " --help')");
        }
    }
    return str_cat(e.what(), " (see '", path, " --help')");
}

} // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& known)
{
    std::string best;
    std::size_t best_distance = 0;
    for (const auto& candidate : known) {
        const std::size_t distance = edit_distance(word, candidate);
        if (best.empty() || distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    // A typo: a letter or two off for each three ("pakc", "--verison")...
    if (!best.empty() && best_distance <= std::max<std::size_t>(1, word.size() / 3)) {
        return best;
    }
    // ... or the start of a known word ("gen" for "generate").
    for (const auto& candidate : known) {
        if (word.size() >= 3 && candidate.starts_with(word)) {
            return candidate;
        }
    }
    return {};
}

int report_usage_error(CLI::App& app,
                       const std::vector<std::string>& args,
                       const CLI::ParseError& e)
{
    if (e.get_exit_code() == 0) { // --help, --version
        return app.exit(e);
    }
    const Reading reading = read_command_line(app, args);
    const std::string message = without_secrets(message_for(reading, e), args);
    const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    // The command line did not parse, so --progress=json is looked for as --json is.
    const auto progress = std::find(args.begin(), args.end(), "--progress");
    if (std::find(args.begin(), args.end(), "--progress=json") != args.end()
        || (progress != args.end() && std::next(progress) != args.end()
            && *std::next(progress) == "json")) {
        configure_stderr(
            GlobalOptions{.quiet = false, .json = json, .progress = ProgressMode::json});
    }
    print_error(message, {}, {{"class", errc_name(Errc::usage)}, {"exitCode", k_exit_usage}});
    if (json) {
        print_json(failure_json(Error{Errc::usage, message, {}}, k_exit_usage));
    }
    return k_exit_usage;
}

} // namespace airlock::cli

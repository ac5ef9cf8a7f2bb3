// SPDX-License-Identifier: Apache-2.0
#include "help_text.hpp"

#include "console.hpp"
#include "usage_errors.hpp"

#include <airlock/base/str_cat.hpp>

#include <array>
#include <iostream>
#include <map>
#include <string>

namespace airlock::cli {

namespace {

const std::map<std::string, std::string>& examples()
{
    static const std::map<std::string, std::string> by_command = {
        {"key",
         "  airlock key generate -o release            # release.key (keep it secret), "
         "release.pub\n"
         "  airlock key generate -o security --type ecdsa-p256\n"
         "  airlock key sign-file SHA256SUMS --key release.key       # SHA256SUMS.sig\n"
         "  airlock key verify-file SHA256SUMS --trusted-key release.pub\n"},
        {"pack",
         "  airlock pack alpine:3.19 -o base.bundle --sign-key release.key\n"
         "  airlock pack -f images.txt --channel monthly --sequence 12 --expires 45d \\\n"
         "      --split fat32 -o 2026-12.bundle --sign-key release.key\n"
         "  airlock pack -f images.txt --since site-inventory.json -o diff.bundle --sign-key "
         "release.key\n"
         "  airlock pack oci:./layout:app:1.0 -o app.bundle --sign-key release.key --json\n"},
        {"verify",
         "  airlock verify 2026-12.bundle --trusted-key release.pub\n"
         "  airlock verify /media/stick1/2026-12.bundle.001 --partial    # one stick of several\n"
         "  airlock verify 2026-12.bundle --against site-inventory.json  # would the site take "
         "it?\n"},
        {"inspect",
         "  airlock inspect 2026-12.bundle\n"
         "  airlock inspect 2026-12.bundle --trusted-key release.pub --json\n"},
        {"import",
         "  airlock import 2026-12.bundle --require-signatures 2\n"
         "  airlock import 2026-12.bundle --dry-run                 # check, preview, write "
         "nothing\n"
         "  airlock import 2026-12.bundle --to docker://registry.site:5000/base\n"
         "  airlock import 2026-12.bundle --to docker-engine --host-os-version 10.0.20348.2849\n"},
        {"images", "  airlock images\n  airlock images --store oci:/srv/store --json\n"},
        {"sign", "  airlock sign 2026-12.bundle --key security.key --trusted-key release.pub\n"},
        {"inventory",
         "  airlock inventory -o /media/stick/site-inventory.json\n"
         "  airlock inventory -o - | ssh build-host 'cat > site.json'\n"},
        {"status", "  airlock status\n  airlock status --store oci:/srv/store --json\n"},
        {"completion",
         "  airlock completion bash > /etc/bash_completion.d/airlock\n"
         "  airlock completion zsh > \"${fpath[1]}/_airlock\"   # then: autoload -U compinit; "
         "compinit\n"
         "  airlock completion bash > ~/.local/share/bash-completion/completions/airlock\n"},
        {"man",
         "  airlock man pack | man -l -\n"
         "  airlock man key generate > airlock-key-generate.1\n"
         "  airlock man --list    # airlock, airlock-key, ...: each is 'airlock man NAME'\n"},
    };
    return by_command;
}

constexpr std::array k_exit_codes = {
    ExitStatus{k_exit_ok, "ok"},
    ExitStatus{k_exit_failure, "failure"},
    ExitStatus{k_exit_usage, "usage"},
    ExitStatus{k_exit_network, "network"},
    ExitStatus{k_exit_verification, "verification"},
    ExitStatus{k_exit_signature, "signature"},
    ExitStatus{k_exit_policy, "policy"},
    ExitStatus{k_exit_interrupted, "interrupted"},
};

// What every command's help ends with: the options of every command and the exit codes.
std::string global_options_footer()
{
    std::string out =
        "\nOptions of every command (anywhere on the line):\n"
        "  -q,--quiet                  Print only results and errors\n"
        "  --progress auto|json|none   Progress on stderr: a line on a terminal, JSON lines, or "
        "none\n"
        "  --config FILE               Settings file (docs/usage.md, \"Configuration\")\n";
    // "Exit codes: 0 ok, 1 failure, ..." in lines of at most 80 columns.
    std::string line = "Exit codes:";
    out += "\n";
    for (std::size_t i = 0; i < k_exit_codes.size(); ++i) {
        const bool last = i + 1 == k_exit_codes.size();
        const std::string item = str_cat(
            k_exit_codes[i].code, " ", k_exit_codes[i].meaning, last ? " (docs/usage.md)." : ",");
        if (line.size() + 1 + item.size() > 80) {
            out += line + "\n";
            line = item;
        } else {
            line += " " + item;
        }
    }
    return out + line + "\n";
}

} // namespace

std::span<const ExitStatus> exit_codes()
{
    return k_exit_codes;
}

std::string_view command_examples(const std::string& command)
{
    const auto found = examples().find(command);
    return found == examples().end() ? std::string_view() : std::string_view(found->second);
}

void add_help_footers(CLI::App& app)
{
    const std::string global_options = global_options_footer();
    for (CLI::App* command : app.get_subcommands({})) {
        const std::string_view found = command_examples(command->get_name());
        std::string footer;
        if (!found.empty()) {
            footer = str_cat("\nExamples:\n", found);
        }
        command->footer(footer + global_options);
        for (CLI::App* sub : command->get_subcommands({})) {
            sub->footer(footer + global_options); // `key generate --help`: its command's examples
        }
    }
}

std::optional<std::vector<std::string>> help_topics(const std::vector<std::string>& args)
{
    // Only the options of every command may come first; anything else is the parser's to judge.
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--progress" || arg == "--config") {
            ++i; // its value
        } else if (arg == "-q" || arg == "--quiet" || arg == "--json"
                   || arg.starts_with("--progress=") || arg.starts_with("--config=")) {
            continue;
        } else if (arg == "help") {
            return std::vector<std::string>(args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                            args.end());
        } else {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

const CLI::App* find_command(const CLI::App& app,
                             const std::vector<std::string>& words,
                             const std::string& asked_by)
{
    const CLI::App* command = &app;
    std::string path = asked_by;
    for (const auto& word : words) {
        const CLI::App* found = nullptr;
        std::vector<std::string> names;
        for (const CLI::App* sub : command->get_subcommands({})) {
            found = sub->check_name(word) ? sub : found;
            names.push_back(sub->get_name());
        }
        if (found == nullptr) {
            const std::string near = nearest(word, names);
            std::cerr << "airlock: error: unknown command '" << printable(word) << "' for '" << path
                      << "'" << (near.empty() ? "" : "; did you mean '" + near + "'?") << '\n';
            return nullptr;
        }
        command = found;
        path += " " + found->get_name();
    }
    return command;
}

int print_help(const CLI::App& app, const std::vector<std::string>& topics)
{
    std::vector<std::string> words;
    for (const auto& word : topics) {
        if (word != "-h" && word != "--help") { // `airlock help -h`: help is what was asked for
            words.push_back(word);
        }
    }
    const CLI::App* topic = find_command(app, words, "airlock help");
    if (topic == nullptr) {
        return k_exit_usage;
    }
    std::string prefix; // the commands above the topic, for its usage line
    for (const CLI::App* above = topic->get_parent(); above != nullptr;
         above = above->get_parent()) {
        prefix =
            above->get_parent() == nullptr ? "airlock" + prefix : " " + above->get_name() + prefix;
    }
    std::cout << topic->help(prefix);
    return k_exit_ok;
}

} // namespace airlock::cli

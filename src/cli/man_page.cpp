// SPDX-License-Identifier: Apache-2.0
#include "man_page.hpp"

#include "help_text.hpp"
#include "roff.hpp"
#include "settings.hpp"

#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/time.hpp>
#include <airlock/bundle/trust.hpp>

#include <algorithm>
#include <array>
#include <memory>

namespace airlock::cli {

namespace {

// An environment variable or a file, on the pages of the commands it concerns: those with one
// of the options `where` names or named there ("pack"); every page when `where` is empty.
struct Mention
{
    std::string name;
    std::string_view text;
    std::vector<std::string_view> where;
};

// What docs/usage.md says of each, in short. The settings' variables come from their table
// (settings.hpp), which the parser reads them by.
std::vector<Mention> environment()
{
    return {
        {"AIRLOCK_CONFIG",
         "The settings file to read instead of those under FILES; it must exist. --config "
         "overrides it.",
         {}},
        {setting_env(Setting::store),
         "The store import writes to and images, inventory and status read, unless --to or "
         "--store is given (settings key store).",
         {"--to", "--store"}},
        {setting_env(Setting::trusted_keys_dir),
         "The directory of trusted public keys (*.pub), unless --trusted-keys-dir is given "
         "(settings key trusted-keys-dir).",
         {"--trusted-keys-dir"}},
        {setting_env(Setting::cert_dir),
         "The directory of HOST[:PORT]/ca.crt files, unless --cert-dir is given (settings key "
         "cert-dir).",
         {"--cert-dir"}},
        {setting_env(Setting::insecure_registries),
         "Registries (HOST[:PORT], separated by commas) reachable by plain HTTP or unverified "
         "TLS, in addition to each --insecure-registry (settings key insecure-registries).",
         {"--insecure-registry"}},
        {setting_env(Setting::auth_file),
         "The Docker-style auth file holding registry credentials, unless --authfile is given "
         "(settings key authfile).",
         {"--authfile"}},
        {"DOCKER_CONFIG",
         "Without an auth file, registry credentials are read from $DOCKER_CONFIG/config.json "
         "(default ~/.docker/config.json).",
         {"--authfile"}},
        {"DOCKER_HOST",
         "The unix:// address of the Docker Engine that --to docker-engine without a path "
         "loads into (default /var/run/docker.sock).",
         {"--to"}},
        {"SSL_CERT_FILE",
         "The bundle of CA certificates TLS trusts, instead of the system's.",
         {"--cert-dir"}},
        {"XDG_CONFIG_HOME",
         "The user's settings file is $XDG_CONFIG_HOME/airlock/airlock.conf (default "
         "~/.config). A settings file that anyone but you and root can change is refused.",
         {}},
        {"XDG_DATA_HOME",
         "For users other than root, the default store is $XDG_DATA_HOME/airlock/store "
         "(default ~/.local/share).",
         {"--to", "--store"}},
        {"XDG_CACHE_HOME",
         "pack's blob cache is $XDG_CACHE_HOME/airlock (default ~/.cache) unless --cache is "
         "given.",
         {"--cache"}},
        {"SOURCE_DATE_EPOCH",
         "pack: the creation time recorded in the bundle (default: the newest image's). man: "
         "the date of the pages.",
         {"pack", "man"}},
    };
}

std::vector<Mention> files()
{
    return {
        {"~/.config/airlock/airlock.conf",
         "The user's settings (TOML without sections), read when neither --config nor "
         "AIRLOCK_CONFIG names a file.",
         {}},
        {(system_config_dir() / "airlock.conf").string(),
         "The host's settings, read when the user has none.",
         {}},
        {bundle::default_trusted_keys_dir().string(),
         "Trusted public keys (*.pub): a signature by any of them is accepted.",
         {"--trusted-keys-dir"}},
        {"/var/lib/airlock/store",
         "The default store when running as root; other users' is "
         "~/.local/share/airlock/store.",
         {"--to", "--store"}},
        {"/var/lib/airlock/state",
         "The channel marks of stores that keep none themselves (registries, Docker Engine, "
         "containerd), when running as root; other users' are under "
         "~/.local/share/airlock/state.",
         {"--to"}},
        {"/etc/docker/certs.d", "HOST[:PORT]/ca.crt: the CA of a registry.", {"--cert-dir"}},
        {"~/.docker/config.json", "Registry credentials, without an auth file.", {"--authfile"}},
        {"~/.cache/airlock", "pack's blob cache.", {"--cache"}},
    };
}

// Whether `mention` belongs on the page of `command` (airlock's own page has them all).
bool concerns(const Mention& mention, const CommandDoc& command)
{
    if (mention.where.empty() || command.path.empty()) {
        return true;
    }
    return std::any_of(mention.where.begin(), mention.where.end(), [&](std::string_view where) {
        if (where == command.path.front()) {
            return true;
        }
        return std::any_of(command.options.begin(), command.options.end(), [&](const auto& o) {
            return !o.everywhere
                   && std::find(o.names.begin(), o.names.end(), where) != o.names.end();
        });
    });
}

std::string bold(std::string_view text)
{
    return "\\fB" + roff_escape(text) + "\\fR";
}

std::string italic(std::string_view text)
{
    return "\\fI" + roff_escape(text) + "\\fR";
}

// The formatter --help is printed with, so that an option reads here as it reads there.
std::shared_ptr<const CLI::Formatter> formatter_of(const CLI::App& app)
{
    auto formatter = std::dynamic_pointer_cast<const CLI::Formatter>(app.get_formatter());
    return formatter ? formatter : std::make_shared<const CLI::Formatter>();
}

// One option as a tagged paragraph: its names in bold and the rest of its --help line.
std::string option_entry(const OptionDoc& option, const CLI::Formatter& formatter)
{
    const bool operand = !option.operand.empty();
    return ".TP\n" + bold(formatter.make_option_name(option.option, operand))
           + roff_escape(formatter.make_option_opts(option.option)) + "\n"
           + roff_escape(formatter.make_option_desc(option.option)) + "\n";
}

std::string synopsis(const CommandDoc& command)
{
    std::string out = bold(command.full_name());
    for (const OptionDoc& option : command.options) {
        if (option.required && option.operand.empty() && !option.names.empty()) {
            out += " " + bold(option.names.front()) + " " + italic(option.option->get_type_name());
        }
    }
    out += " [" + italic("OPTIONS") + "]";
    if (!command.commands.empty()) {
        out += " " + italic("COMMAND");
    }
    for (const OptionDoc& option : command.options) {
        if (!option.operand.empty()) {
            const std::string name = italic(option.operand) + (option.repeatable ? " ..." : "");
            out += option.required ? " " + name : " [" + name + "]";
        }
    }
    return ".SH SYNOPSIS\n" + out + "\n";
}

std::string commands_section(const CommandDoc& command)
{
    if (command.commands.empty()) {
        return {};
    }
    std::string out = ".SH COMMANDS\n";
    for (const CommandDoc& sub : command.commands) {
        out += ".TP\n" + bold(sub.path.back()) + "\n" + roff_escape(sub.description) + "; see "
               + bold(sub.page_name()) + "(1).\n";
    }
    if (command.path.empty()) {
        // Read before the parser (help_text.hpp), so no command of the tree.
        out += ".TP\n" + bold("help") + " [" + italic("COMMAND") + " ...]\n"
               + roff_escape("The help of a command: airlock help pack is airlock pack --help.")
               + "\n";
    }
    return out;
}

std::string options_sections(const CommandDoc& command, const CLI::Formatter& formatter)
{
    std::string operands;
    std::string own;
    std::string everywhere;
    for (const OptionDoc& option : command.options) {
        std::string& section = !option.operand.empty() ? operands
                               : option.everywhere     ? everywhere
                                                       : own;
        section += option_entry(option, formatter);
    }
    std::string out;
    if (!operands.empty()) {
        out += ".SH ARGUMENTS\n" + operands;
    }
    if (!own.empty()) {
        out += ".SH OPTIONS\n" + own;
    }
    if (!everywhere.empty()) {
        out += ".SH GLOBAL OPTIONS\nThese options of every command go anywhere on the line.\n"
               + everywhere;
    }
    return out;
}

// The examples of the command's --help, one line each as there.
std::string examples_section(const CommandDoc& command)
{
    const std::string_view examples =
        command.path.empty() ? std::string_view() : command_examples(command.path.front());
    if (examples.empty()) {
        return {};
    }
    std::string out = ".SH EXAMPLES\n.RS 4\n.nf\n";
    for (std::size_t start = 0; start < examples.size();) {
        const std::size_t end = std::min(examples.find('\n', start), examples.size());
        std::string_view line = examples.substr(start, end - start);
        line.remove_prefix(std::min(line.find_first_not_of(' '), std::size_t{2})); // help indents 2
        out += roff_escape(line) + "\n";
        start = end + 1;
    }
    return out + ".fi\n.RE\n";
}

std::string exit_status_section()
{
    std::string out = ".SH EXIT STATUS\n";
    for (const ExitStatus& status : exit_codes()) {
        out += str_cat(".TP\n", bold(std::to_string(status.code)), "\n", status.meaning, "\n");
    }
    return out;
}

std::string mentions_section(std::string_view title,
                             const std::vector<Mention>& mentions,
                             const CommandDoc& command)
{
    std::string out;
    for (const Mention& mention : mentions) {
        if (concerns(mention, command)) {
            out += ".TP\n" + bold(mention.name) + "\n" + roff_escape(mention.text) + "\n";
        }
    }
    return out.empty() ? out : str_cat(".SH ", title, "\n", out);
}

std::string see_also_section(const CommandDoc& tree, const CommandDoc& command)
{
    std::string pages;
    for (const CommandDoc* other : all_commands(tree)) {
        if (other != &command) {
            pages += (pages.empty() ? "" : ",\n") + bold(other->page_name()) + "(1)";
        }
    }
    return ".SH SEE ALSO\n" + pages + "\n";
}

std::string upper(std::string text)
{
    for (char& c : text) {
        c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return text;
}

} // namespace

std::string man_page(const CommandDoc& tree, const CommandDoc& command, const std::string& date)
{
    const auto formatter = formatter_of(*command.app);
    std::string description = command.description;
    // airlock's own description starts with its name, which NAME gives already.
    if (description.starts_with("airlock: ")) {
        description.erase(0, 9);
    }
    const std::string version = "airlock " AIRLOCK_VERSION;
    std::string words;
    for (const auto& word : command.path) {
        words += " " + word;
    }
    std::string out = str_cat(".\\\" ",
                              command.page_name(),
                              "(1), written by \"airlock man",
                              words,
                              "\" (",
                              version,
                              ") from its --help\n");
    // The title has only letters and hyphens, none of them an option's.
    out += str_cat(".TH ",
                   upper(command.page_name()),
                   " 1 ",
                   "\"",
                   date, // digits and hyphens, none of them an option's
                   "\"",
                   " ",
                   roff_argument(version),
                   " ",
                   roff_argument("User Commands"),
                   "\n");
    out += ".nh\n.ad l\n"; // option names are neither hyphenated nor stretched apart
    out +=
        ".SH NAME\n" + roff_escape(command.page_name()) + " \\- " + roff_escape(description) + "\n";
    out += synopsis(command);
    out += ".SH DESCRIPTION\n" + roff_escape(description) + "\n";
    out += commands_section(command);
    out += options_sections(command, *formatter);
    out += examples_section(command);
    out += exit_status_section();
    out += mentions_section("ENVIRONMENT", environment(), command);
    out += mentions_section("FILES", files(), command);
    out += see_also_section(tree, command);
    return out;
}

std::string man_page_date()
{
    if (const auto epoch = source_date_epoch()) {
        return format_rfc3339_utc(*epoch).substr(0, 10);
    }
    return AIRLOCK_VERSION_DATE;
}

} // namespace airlock::cli

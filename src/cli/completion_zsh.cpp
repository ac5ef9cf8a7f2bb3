// SPDX-License-Identifier: Apache-2.0
#include "completion_script.hpp"
#include "shell_words.hpp"

namespace airlock::cli {

namespace {

constexpr const char* k_helpers = R"(
# _airlock_store START...: a store spec, begun as one of STARTs; oci: goes on with a directory.
_airlock_store() {
    local -a starts=("$@") expl
    if [[ $PREFIX == oci:* ]] && (( ${starts[(I)oci:]} )); then
        compset -P 'oci:'
        _files -/
        return
    fi
    _description stores expl 'store'
    compadd "${expl[@]}" -S '' -- ${(M)starts:#*[:/]}
    compadd "${expl[@]}" -- ${starts:#*[:/]}
}

# _airlock_command_words: for help and man, the command the words so far name, then its
# subcommands.
_airlock_command_words() {
    local -a named=(${${words[2,CURRENT-1]}:#-*})
    [[ ${named[1]} == help ]] && return 1
    _airlock_commands "${(j: :)named}" nohelp
}
)";

constexpr const char* k_ending = R"(
if [[ ${funcstack[1]} == _airlock ]]; then
    _airlock "$@" # autoloaded from $fpath: this file is the body of _airlock
else
    compdef _airlock airlock
fi
)";

// `text` with `specials` (and backslashes) preceded by a backslash, as _arguments and _describe
// read their specs.
std::string escaped(const std::string& text, std::string_view specials)
{
    std::string out;
    for (const char c : text) {
        if (c == '\\' || specials.find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

// The function completing `command`: "_airlock_key_generate".
std::string function_name(const std::vector<std::string>& path)
{
    std::string name = "_airlock";
    for (const auto& word : path) {
        name += "_" + word;
    }
    for (char& c : name) {
        c = c == '-' ? '_' : c;
    }
    return name;
}

// What _arguments runs to complete a value of `option`.
std::string action(const OptionDoc& option)
{
    switch (option.kind) {
    case ValueKind::none:
    case ValueKind::text:
        return " "; // no completion, only the message
    case ValueKind::file:
        return "_files";
    case ValueKind::directory:
        return "_files -/";
    case ValueKind::store:
        // In braces, the action is run as it is, without the options _arguments would add to
        // its arguments; an unescaped colon would end it.
        return escaped("{_airlock_store " + joined(option.choices, " ") + "}", ":");
    case ValueKind::choice:
        return "(" + joined(option.choices, " ") + ")";
    case ValueKind::command:
        return "_airlock_command_words";
    }
    return " ";
}

// The _arguments specs of one option: one per name, each naming the others it excludes unless
// the option is repeatable.
std::vector<std::string> option_specs(const OptionDoc& option)
{
    std::vector<std::string> specs;
    const std::string description = "[" + escaped(option.option->get_description(), "[]") + "]";
    const std::string message = escaped(option.option->get_type_name(), ":");
    for (const auto& name : option.names) {
        std::string spec =
            option.repeatable ? std::string("*") : "(" + joined(option.names, " ") + ")";
        spec += name;
        if (option.kind != ValueKind::none) {
            spec += name.starts_with("--") ? "=" : "+";
        }
        spec += description;
        if (option.kind != ValueKind::none) {
            spec += ":" + message + ":" + action(option);
        }
        specs.push_back(spec);
    }
    return specs;
}

// The spec of an operand: "*:images: " for one that repeats, ":bundle:_files" otherwise.
std::string operand_spec(const OptionDoc& operand)
{
    return (operand.repeatable ? "*:" : ":") + escaped(operand.operand, ":") + ":"
           + action(operand);
}

std::string command_function(const CommandDoc& command, bool top)
{
    std::vector<std::string> specs;
    for (const OptionDoc& option : command.options) {
        if (option.operand.empty()) {
            for (auto& spec : option_specs(option)) {
                specs.push_back(single_quoted(spec));
            }
        } else {
            specs.push_back(single_quoted(operand_spec(option)));
        }
    }
    const bool has_commands = !command.commands.empty() || top;
    if (has_commands) {
        specs.emplace_back("': :->command'");
        specs.emplace_back("'*:: :->args'");
    }
    std::string out = "\n" + function_name(command.path) + "() {\n";
    if (has_commands) {
        out += "    local curcontext=$curcontext state line\n    typeset -A opt_args\n";
    }
    out += "    _arguments -s -S" + std::string(has_commands ? " -C" : "");
    for (const auto& spec : specs) {
        out += " \\\n        " + spec;
    }
    out += "\n";
    if (has_commands) {
        out += "    case $state in\n    command) _airlock_commands "
               + single_quoted(joined(command.path, " "))
               + " ;;\n    args)\n"
                 "        curcontext=${curcontext%:*:*}:airlock-$line[1]:\n"
                 "        case $line[1] in\n";
        for (const CommandDoc& sub : command.commands) {
            out += "        " + sub.path.back() + ") " + function_name(sub.path) + " ;;\n";
        }
        if (top) {
            out += "        help) _airlock_help ;;\n";
        }
        out += "        esac\n        ;;\n    esac\n";
    }
    return out + "}\n";
}

// _airlock_commands PATH [nohelp]: the subcommands of the command PATH, with what each does.
std::string commands_function(const CommandDoc& tree)
{
    std::string out = "\n# _airlock_commands PATH [nohelp]: the subcommands of the command PATH "
                      "(\"key\"; '' for airlock).\n_airlock_commands() {\n"
                      "    local -a commands\n    case $1 in\n";
    for (const CommandDoc* command : all_commands(tree)) {
        if (command->commands.empty()) {
            continue;
        }
        std::vector<std::string> entries;
        for (const CommandDoc& sub : command->commands) {
            entries.push_back(single_quoted(escaped(sub.path.back(), ":") + ":" + sub.description));
        }
        out += "    " + single_quoted(joined(command->path, " ")) + ") commands=("
               + joined(entries, " ") + ") ;;\n";
    }
    out += "    *) return 1 ;;\n    esac\n"
           "    # `airlock help [COMMAND...]` is read before the parser: no command of the tree.\n"
           "    [[ -z $1 && $2 != nohelp ]] && commands+=('help:Show the help of a command')\n"
           "    _describe -t commands 'airlock command' commands\n}\n";
    return out;
}

} // namespace

std::string zsh_completion_script(const CommandDoc& tree)
{
    std::string out = "#compdef airlock\n"
                      "# zsh completion for airlock, written by `airlock completion zsh` "
                      "(airlock " AIRLOCK_VERSION ")\n# from its commands and options.\n"
                      "# Install: airlock completion zsh > \"${fpath[1]}/_airlock\", or source it "
                      "after compinit.\n";
    out += k_helpers;
    out += commands_function(tree);
    out += "\n_airlock_help() {\n    _arguments -s -S '*:command:_airlock_command_words'\n}\n";
    for (const CommandDoc* command : all_commands(tree)) {
        out += command_function(*command, command == &tree);
    }
    return out + k_ending;
}

} // namespace airlock::cli

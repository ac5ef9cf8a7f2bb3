// SPDX-License-Identifier: Apache-2.0
#include "completion_script.hpp"
#include "shell_words.hpp"

#include <map>

namespace airlock::cli {

namespace {

// The shell code: it finds the command on the line, then asks the two data functions written
// below it what that command takes.
constexpr const char* k_code = R"(
# __airlock_paths -f|-d WORD PREFIX: files (-f) or directories (-d) for WORD into COMPREPLY,
# each after PREFIX (oci:).
__airlock_paths() {
    local type=$1 cur=$2 prefix=$3
    COMPREPLY=()
    if declare -F _filedir > /dev/null 2>&1; then
        # bash-completion's: it knows about quoting, ~ and spaces. It reads $cur.
        if [[ $type == -d ]]; then _filedir -d; else _filedir; fi
    else
        compopt -o filenames 2> /dev/null
        mapfile -t COMPREPLY < <(compgen "$type" -- "$cur")
    fi
    if [[ -n $prefix ]]; then
        COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
    fi
}

# __airlock_reply KIND WORD PREFIX: what a value of KIND (file, dir, text, command, choice
# WORD..., store START...) can be, for the WORD typed so far, each after PREFIX (--option=).
__airlock_reply() {
    local kind=$1 cur=$2 prefix=$3
    COMPREPLY=()
    case $kind in
    file) __airlock_paths -f "$cur" "$prefix" ;;
    dir) __airlock_paths -d "$cur" "$prefix" ;;
    choice\ *) mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "${kind#choice }" -- "$cur") ;;
    store\ *)
        if [[ $cur == oci:* && " ${kind#store } " == *" oci: "* ]]; then
            __airlock_paths -d "${cur#oci:}" "${prefix}oci:"
        else
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "${kind#store }" -- "$cur")
            # oci: and docker:// go on with a path or a host.
            if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[:/] ]]; then
                compopt -o nospace 2> /dev/null
            fi
        fi
        ;;
    esac
}

# Bash replaces only the part of the word after its last word-break character (COMP_WORDBREAKS
# has = and : by default): the replies for WORD lose what comes before it.
__airlock_trim() {
    local word=$1 i
    for ((i = ${#word} - 1; i >= 0; i--)); do
        if [[ $COMP_WORDBREAKS == *"${word:i:1}"* ]]; then
            COMPREPLY=("${COMPREPLY[@]#"${word:0:i+1}"}")
            return
        fi
    done
}

_airlock() {
    local cur words cword
    if declare -F _init_completion > /dev/null 2>&1; then
        local prev split
        # Words as typed: "oci:/srv" and "--progress=json" stay whole.
        _init_completion -n =: || return
    else
        # Without bash-completion, COMP_WORDS splits "oci:/srv" at the colon: the words are
        # those of the line up to the cursor instead (quotes are not interpreted).
        local line=${COMP_LINE:0:COMP_POINT}
        read -r -a words <<< "$line"
        [[ $line == *[[:space:]] || ${#words[@]} -eq 0 ]] && words+=("")
        cword=$((${#words[@]} - 1))
        cur=${words[cword]}
    fi
    COMPREPLY=()

    # The command named on the line, its operands so far, and whether the word at the cursor is
    # the value of an option.
    local path='' word pending='' operands=() dashdash='' i
    __airlock_command ''
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [[ -n $pending ]]; then
            pending=''
        elif [[ -z $dashdash && $word == -- ]]; then
            dashdash=1
        elif [[ -z $dashdash && $word == -* ]]; then
            if [[ $word != *=* && " $__airlock_options " == *" $word "* ]]; then
                pending=$word
            fi
        elif [[ ${#operands[@]} -eq 0 && " $__airlock_commands " == *" $word "* ]]; then
            path=${path:+$path }$word
            __airlock_command "$path"
        else
            operands+=("$word")
        fi
    done

    if [[ -n $pending ]]; then
        __airlock_value "$path" "$pending"
        __airlock_reply "$__airlock_kind" "$cur" ''
    elif [[ -z $dashdash && $cur == -*=* ]]; then
        __airlock_value "$path" "${cur%%=*}"
        __airlock_reply "$__airlock_kind" "${cur#*=}" "${cur%%=*}="
    elif [[ -z $dashdash && $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$__airlock_flags $__airlock_options" -- "$cur")
    elif [[ -n $__airlock_commands && ${#operands[@]} -eq 0 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$__airlock_commands" -- "$cur")
    elif [[ $__airlock_operand == command ]]; then
        # help and man: the operands so far name a command, whose subcommands come next.
        if __airlock_command "${operands[*]}"; then
            local names=" $__airlock_commands "
            mapfile -t COMPREPLY < <(compgen -W "${names/ help / }" -- "$cur")
        fi
    else
        __airlock_reply "$__airlock_operand" "$cur" ''
    fi
    __airlock_trim "$cur"
}

complete -F _airlock airlock
)";

// What __airlock_reply calls a value of `option`.
std::string kind_words(const OptionDoc& option)
{
    switch (option.kind) {
    case ValueKind::none:
        return "";
    case ValueKind::text:
        return "text";
    case ValueKind::file:
        return "file";
    case ValueKind::directory:
        return "dir";
    case ValueKind::store:
        return "store " + joined(option.choices);
    case ValueKind::choice:
        return "choice " + joined(option.choices);
    case ValueKind::command:
        return "command";
    }
    return "text";
}

struct CommandData
{
    std::string path; // "key generate"
    std::vector<std::string> commands, flags, options;
    std::string operand;
};

CommandData data_of(const CommandDoc& command)
{
    CommandData out;
    out.path = joined(command.path);
    for (const CommandDoc& sub : command.commands) {
        out.commands.push_back(sub.path.back());
    }
    for (const OptionDoc& option : command.options) {
        if (!option.operand.empty()) {
            out.operand = out.operand.empty() ? kind_words(option) : out.operand;
            continue;
        }
        auto& list = option.kind == ValueKind::none ? out.flags : out.options;
        list.insert(list.end(), option.names.begin(), option.names.end());
    }
    return out;
}

// __airlock_command: the commands, flags, options with a value and operands of each command.
std::string command_function(const CommandDoc& tree)
{
    std::vector<CommandData> commands;
    for (const CommandDoc* command : all_commands(tree)) {
        commands.push_back(data_of(*command));
    }
    // `airlock help [COMMAND...]` is read before the parser (help_text.hpp): it is no command
    // of the tree, and takes the words of one.
    commands.front().commands.emplace_back("help");
    commands.push_back(CommandData{"help", {}, {}, {}, "command"});

    std::string out =
        "\n# __airlock_command PATH: what the command PATH (\"key generate\"; '' for airlock) "
        "takes:\n# __airlock_commands (its subcommands), __airlock_flags (options "
        "without a value),\n# __airlock_options (options with one) and "
        "__airlock_operand (what its operands are).\n"
        "__airlock_command() {\n    case $1 in\n";
    for (const CommandData& command : commands) {
        out += "    " + single_quoted(command.path) + ")\n";
        out += "        __airlock_commands=" + single_quoted(joined(command.commands)) + "\n";
        out += "        __airlock_flags=" + single_quoted(joined(command.flags)) + "\n";
        out += "        __airlock_options=" + single_quoted(joined(command.options)) + "\n";
        out += "        __airlock_operand=" + single_quoted(command.operand) + "\n";
        out += "        ;;\n";
    }
    out += "    *) return 1 ;;\n    esac\n}\n";
    return out;
}

// __airlock_value: what each option's value is, one pattern "PATH/OPTION" per option name.
std::string value_function(const CommandDoc& tree)
{
    std::map<std::string, std::vector<std::string>> by_kind;
    for (const CommandDoc* command : all_commands(tree)) {
        for (const OptionDoc& option : command->options) {
            if (option.operand.empty() && option.kind != ValueKind::none) {
                for (const auto& name : option.names) {
                    by_kind[kind_words(option)].push_back(
                        single_quoted(joined(command->path) + "/" + name));
                }
            }
        }
    }
    std::string out = "\n# __airlock_value PATH OPTION: __airlock_kind, what a value of OPTION of "
                      "the command PATH is.\n__airlock_value() {\n    case \"$1/$2\" in\n";
    for (const auto& [kind, patterns] : by_kind) {
        std::string alternatives;
        for (const auto& pattern : patterns) {
            alternatives += (alternatives.empty() ? "" : " | ") + pattern;
        }
        out += "    " + alternatives + ")\n        __airlock_kind=" + single_quoted(kind) + " ;;\n";
    }
    out += "    *) __airlock_kind=text ;;\n    esac\n}\n";
    return out;
}

} // namespace

std::string bash_completion_script(const CommandDoc& tree)
{
    return std::string(
               "# bash completion for airlock                            -*- shell-script -*-\n"
               "# Written by `airlock completion bash` (airlock " AIRLOCK_VERSION
               ") from its commands and options.\n"
               "# Install: airlock completion bash > /etc/bash_completion.d/airlock\n")
           + command_function(tree) + value_function(tree) + k_code;
}

} // namespace airlock::cli

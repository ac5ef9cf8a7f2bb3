// SPDX-License-Identifier: Apache-2.0
#include "command_tree.hpp"
#include "commands.hpp"
#include "completion_script.hpp"

#include <iostream>

namespace airlock::cli {

void register_completion(CLI::App& app, Context& ctx)
{
    auto shell = std::make_shared<std::string>();
    auto* cmd =
        app.add_subcommand("completion", "Print the shell completion script of bash or zsh");
    cmd->add_option("shell", *shell, "The shell: bash or zsh")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh"}));
    // The tree is read when the command runs, once every command has been added to it.
    cmd->callback([&app, shell, &ctx] {
        const CommandDoc tree = describe_commands(app);
        std::cout << (*shell == "zsh" ? zsh_completion_script(tree) : bash_completion_script(tree));
        if (!stdout_written()) {
            ctx.exit_code =
                report_error(Error{Errc::io, "cannot write the script to stdout", {}}, ctx.global);
        }
    });
}

} // namespace airlock::cli

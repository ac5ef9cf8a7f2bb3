// SPDX-License-Identifier: Apache-2.0
#include "command_tree.hpp"
#include "commands.hpp"
#include "help_text.hpp"
#include "man_page.hpp"
#include "value_names.hpp"

#include <iostream>

namespace airlock::cli {

namespace {

struct ManOptions
{
    std::vector<std::string> words; // a command ("key generate") or a page name
    bool list = false;
};

// The command whose page `words` ask for: its words ("key generate"), or the name of its page
// as --list prints it ("airlock-key-generate"); nothing after an error line.
const CommandDoc* requested(const CLI::App& app, const CommandDoc& tree, const ManOptions& o)
{
    if (o.words.size() == 1) {
        for (const CommandDoc* command : all_commands(tree)) {
            if (command->page_name() == o.words.front()) {
                return command;
            }
        }
    }
    const CLI::App* found = find_command(app, o.words, "airlock man");
    for (const CommandDoc* command : all_commands(tree)) {
        if (found != nullptr && command->app == found) {
            return command;
        }
    }
    return nullptr;
}

int run_man(const CLI::App& app, const ManOptions& options, const GlobalOptions& global)
{
    const CommandDoc tree = describe_commands(app);
    if (options.list) {
        for (const CommandDoc* command : all_commands(tree)) {
            std::cout << command->page_name() << '\n';
        }
    } else {
        const CommandDoc* command = requested(app, tree, options);
        if (command == nullptr) {
            return k_exit_usage;
        }
        std::cout << man_page(tree, *command, man_page_date());
    }
    if (!stdout_written()) {
        return report_error(Error{Errc::io, "cannot write the page to stdout", {}}, global);
    }
    return k_exit_ok;
}

} // namespace

void register_man(CLI::App& app, Context& ctx)
{
    auto options = std::make_shared<ManOptions>();
    auto* cmd =
        app.add_subcommand("man", "Print the man page (roff) of airlock or of one of its commands");
    CLI::Option* words = cmd->add_option(
        "command",
        options->words,
        "The command (key generate) or the page name (airlock-key-generate); none: airlock's");
    words->type_name(value_name::command);
    cmd->add_flag("--list", options->list, "Print the name of every page, one a line")
        ->excludes(words);
    // The tree is read when the command runs, once every command has been added to it.
    cmd->callback([&app, options, &ctx] { ctx.exit_code = run_man(app, *options, ctx.global); });
}

} // namespace airlock::cli

// SPDX-License-Identifier: Apache-2.0
#include "console.hpp"

#include <airlock/base/encoding.hpp>
#include <airlock/base/str_cat.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace airlock::cli {

ConsoleReporter::ConsoleReporter(const GlobalOptions& options)
    : m_options(options)
    , m_tty(::isatty(STDERR_FILENO) == 1)
{
}

ConsoleReporter::~ConsoleReporter()
{
    const std::lock_guard lock(m_mutex);
    clear_progress();
}

void ConsoleReporter::clear_progress()
{
    if (m_progress_shown) {
        std::fputs("\r\033[K", stderr);
        m_progress_shown = false;
    }
}

void ConsoleReporter::info(std::string_view message)
{
    if (m_options.quiet) {
        return;
    }
    const std::string line = printable(message) + '\n';
    const std::lock_guard lock(m_mutex);
    clear_progress();
    std::cerr << line;
}

void ConsoleReporter::warn(std::string_view message)
{
    const std::string line = "airlock: warning: " + printable(message) + '\n';
    const std::lock_guard lock(m_mutex);
    clear_progress();
    std::cerr << line;
}

void ConsoleReporter::progress(std::string_view task, std::uint64_t done, std::uint64_t total)
{
    if (m_options.quiet || !m_tty) {
        return;
    }
    const std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - m_last_draw < std::chrono::milliseconds(125)) {
        return;
    }
    m_last_draw = now;
    std::string line = str_cat("\r\033[K", printable(task), ": ", human_size(done));
    if (total > 0) {
        line += str_cat(" / ", human_size(total), " (", done * 100 / total, "%)");
    }
    std::fputs(line.c_str(), stderr);
    m_progress_shown = true;
}

void print_json(const nlohmann::json& doc)
{
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows)
{
    std::vector<std::size_t> widths(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
        widths[i] = header[i].size();
        for (const auto& row : rows) {
            widths[i] = std::max(widths[i], printable(row[i]).size());
        }
    }
    const auto print_row = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            const std::string cell = printable(row[i]);
            line += cell;
            if (i + 1 < row.size()) {
                line += std::string(widths[i] - cell.size() + 3, ' ');
            }
        }
        std::cout << line << '\n';
    };
    print_row(header);
    for (const auto& row : rows) {
        print_row(row);
    }
}

std::string printable(std::string_view text)
{
    return escape_hidden_characters(text);
}

std::string short_digest(const std::string& digest)
{
    const auto colon = digest.find(':');
    return colon == std::string::npos ? digest
                                      : digest.substr(0, std::min(digest.size(), colon + 13));
}

} // namespace airlock::cli

// SPDX-License-Identifier: Apache-2.0
#include "console.hpp"

#include <airlock/base/encoding.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/terminal.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace airlock::cli {

namespace {

using Clock = ProgressMeter::Clock;

// Set once by configure_stderr, before any command runs; read by print_error.
bool g_json_errors = false;

// One JSON object per line on stderr. Invalid UTF-8 from outside (a file name) is replaced, so
// that every line parses.
void print_json_line(const nlohmann::ordered_json& event)
{
    const std::string line =
        event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
}

std::int64_t nanoseconds(Clock::time_point time)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

// The words people see for the phases libraries name.
std::string_view phase_label(std::string_view phase)
{
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> k_labels{{
        {"download", "downloading"},
        {"write", "writing"},
        {"verify", "verifying"},
        {"import", "importing"},
    }};
    for (const auto& [name, label] : k_labels) {
        if (name == phase) {
            return label;
        }
    }
    return phase;
}

// "downloading 3/7 blobs: 120.0 MiB / 410.0 MiB (29%), 15.2 MiB/s, ETA 0:19"
std::string progress_text(std::string_view phase, const ProgressMeter& meter)
{
    std::string line(phase_label(phase));
    if (meter.items_total() > 0) {
        line += str_cat(" ", meter.items_done(), "/", meter.items_total(), " blobs");
    }
    line += str_cat(": ", human_size(meter.done()));
    if (meter.total() > 0) {
        line += str_cat(
            " / ", human_size(meter.total()), " (", meter.done() * 100 / meter.total(), "%)");
    }
    if (meter.bytes_per_second() > 0) {
        line += ", " + format_rate(meter.bytes_per_second());
    }
    if (const auto eta = meter.eta_seconds(); eta && !meter.complete()) {
        line += ", ETA " + format_eta(*eta);
    }
    return line;
}

} // namespace

ConsoleReporter::ConsoleReporter(const GlobalOptions& options)
    : m_quiet(options.quiet)
    , m_json_lines(options.progress == ProgressMode::json)
    , m_shown(m_json_lines ? Shown::json_events
              : options.progress == ProgressMode::automatic && !options.quiet
                      && stderr_is_terminal()
                  ? Shown::terminal_line
                  : Shown::nothing)
{
}

ConsoleReporter::~ConsoleReporter()
{
    const std::lock_guard lock(m_mutex);
    clear_line();
}

void ConsoleReporter::clear_line()
{
    if (m_line_shown) {
        std::fputs("\r\033[K", stderr);
        m_line_shown = false;
    }
}

void ConsoleReporter::info(std::string_view message)
{
    if (m_quiet) {
        return;
    }
    const std::lock_guard lock(m_mutex);
    if (m_json_lines) {
        print_json_line({{"event", "info"}, {"message", message}});
        return;
    }
    clear_line();
    std::cerr << printable(message) + '\n';
}

void ConsoleReporter::warn(std::string_view message)
{
    const std::lock_guard lock(m_mutex);
    if (m_json_lines) {
        print_json_line({{"event", "warning"}, {"message", message}});
        return;
    }
    clear_line();
    std::cerr << "airlock: warning: " + printable(message) + '\n';
}

void ConsoleReporter::progress(const Progress& progress)
{
    if (m_shown == Shown::nothing) {
        return;
    }
    // Called for every chunk, from several threads: most calls end here, before the lock.
    const auto now = Clock::now();
    if (!progress.complete() && nanoseconds(now) < m_next_due_ns.load(std::memory_order_relaxed)) {
        return;
    }
    const std::lock_guard lock(m_mutex);
    auto meter = m_meters.find(progress.phase);
    if (meter == m_meters.end()) {
        meter = m_meters.emplace(std::string(progress.phase), ProgressMeter(now)).first;
    }
    if (!meter->second.update(now, progress)) {
        return;
    }
    m_next_due_ns.store(nanoseconds(now + ProgressMeter::k_interval), std::memory_order_relaxed);
    show(progress.phase, meter->second);
}

void ConsoleReporter::show(std::string_view phase, const ProgressMeter& meter)
{
    if (m_shown == Shown::json_events) {
        const auto eta = meter.eta_seconds();
        print_json_line({{"event", "progress"},
                         {"phase", phase},
                         {"done", meter.done()},
                         {"total", meter.total()},
                         {"items", meter.items_done()},
                         {"itemsTotal", meter.items_total()},
                         {"bytesPerSecond", static_cast<std::uint64_t>(meter.bytes_per_second())},
                         {"etaSeconds",
                          eta && !meter.complete() ? nlohmann::ordered_json(*eta)
                                                   : nlohmann::ordered_json(nullptr)}});
        return;
    }
    std::string line = progress_text(phase, meter);
    line.resize(std::min(line.size(), terminal_columns() - 1));
    std::fputs(("\r\033[K" + line).c_str(), stderr);
    m_line_shown = true;
}

void ConsoleReporter::phase_end(const Progress& last)
{
    if (m_shown == Shown::nothing) {
        return;
    }
    const auto now = Clock::now();
    const std::lock_guard lock(m_mutex);
    const auto meter = m_meters.find(last.phase);
    if (m_shown == Shown::json_events) {
        const bool measured = meter != m_meters.end();
        print_json_line(
            {{"event", "phase-end"},
             {"phase", last.phase},
             {"done", last.done},
             {"total", last.total},
             {"items", last.items_done},
             {"itemsTotal", last.items_total},
             {"complete", last.complete()},
             {"seconds",
              measured ? std::round(meter->second.elapsed_seconds(now) * 1000) / 1000 : 0.0},
             {"bytesPerSecond",
              measured ? static_cast<std::uint64_t>(meter->second.average_bytes_per_second(now))
                       : 0}});
    } else {
        clear_line(); // the next line, a result or a message, starts clean
    }
    if (meter != m_meters.end()) {
        m_meters.erase(meter);
    }
    m_next_due_ns.store(0, std::memory_order_relaxed); // the next phase shows at once
}

void configure_stderr(const GlobalOptions& options)
{
    g_json_errors = options.progress == ProgressMode::json;
}

void print_error(std::string_view message,
                 const std::vector<std::string>& context,
                 const nlohmann::ordered_json& details)
{
    if (g_json_errors) {
        nlohmann::ordered_json event = {
            {"event", "error"}, {"message", message}, {"context", context}};
        event.update(details);
        print_json_line(event);
        return;
    }
    std::string text = "airlock: error: " + printable(message) + '\n';
    for (const auto& line : context) {
        text += "  " + printable(line) + '\n';
    }
    std::cerr << text;
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

// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/reporter.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace airlock::cli {

// Exit codes, documented in docs/usage.md; scripts rely on them.
enum ExitCode : int {
    k_exit_ok = 0,
    k_exit_failure = 1,
    k_exit_usage = 2,
    k_exit_network = 3,
    k_exit_verification = 4,
    k_exit_signature = 5,
    k_exit_policy = 6,
    k_exit_interrupted = 130,
};

// Options every command shares.
struct GlobalOptions
{
    bool quiet = false;
    bool json = false;
};

// Messages and progress on stderr: progress only on a terminal, redrawn at most 8 times a
// second, never with --quiet; stdout stays free for results and JSON. Thread-safe: the blob
// pipeline's sink thread and parallel downloads report too, and lines never interleave.
class ConsoleReporter final : public Reporter
{
  public:
    explicit ConsoleReporter(const GlobalOptions& options);
    ~ConsoleReporter() override;
    ConsoleReporter(const ConsoleReporter&) = delete;
    ConsoleReporter& operator=(const ConsoleReporter&) = delete;

    void info(std::string_view message) override;
    void warn(std::string_view message) override;
    void progress(std::string_view task, std::uint64_t done, std::uint64_t total) override;

  private:
    void clear_progress();

    const GlobalOptions& m_options;
    bool m_tty = false;
    std::mutex m_mutex; // guards the progress line and the order of output
    bool m_progress_shown = false;
    std::chrono::steady_clock::time_point m_last_draw{};
};

// Prints a JSON document on stdout.
void print_json(const nlohmann::json& doc);

// Prints rows as aligned columns under `header`.
void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

// `text` made safe for a terminal: control characters (C0, DEL, C1), bidirectional overrides
// and bytes that are not UTF-8 are shown as \xHH / \u{HHHH}, so that a name from a bundle or a
// store cannot move the cursor, retitle the window or hide text. Everything printed as text that
// came from outside goes through this.
std::string printable(std::string_view text);

// A digest shortened for tables: "sha256:0123456789ab".
std::string short_digest(const std::string& digest);

} // namespace airlock::cli

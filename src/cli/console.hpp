// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <airlock/base/progress_meter.hpp>
#include <airlock/base/reporter.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
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

// --progress: how stderr reports long phases.
enum class ProgressMode {
    automatic, // a line redrawn in place when stderr is a terminal (not with --quiet); else none
    json,      // stderr is JSON lines: progress, phase ends, information, warnings and errors
    none,      // no progress; messages as usual
};

// Options every command shares.
struct GlobalOptions
{
    bool quiet = false;
    bool json = false;
    ProgressMode progress = ProgressMode::automatic;
};

// Messages and progress on stderr, stdout staying free for results and JSON. Progress is a line
// redrawn in place on a terminal, or JSON-lines events with --progress=json (docs/usage.md);
// either at most 8 times a second per phase, the end of a phase always. Thread-safe: the blob
// pipeline's sink thread and parallel downloads report too, and lines never interleave. A
// progress call that is not due costs a clock read and a relaxed atomic load.
class ConsoleReporter final : public Reporter
{
  public:
    explicit ConsoleReporter(const GlobalOptions& options);
    ~ConsoleReporter() override;
    ConsoleReporter(const ConsoleReporter&) = delete;
    ConsoleReporter& operator=(const ConsoleReporter&) = delete;

    void info(std::string_view message) override;
    void warn(std::string_view message) override;
    void progress(const Progress& progress) override;
    void phase_end(const Progress& last) override;

  private:
    enum class Shown { nothing, terminal_line, json_events };

    void clear_line(); // under m_mutex
    void show(std::string_view phase, const ProgressMeter& meter);

    const bool m_quiet;
    const bool m_json_lines;
    const Shown m_shown;
    std::atomic<std::int64_t> m_next_due_ns{0}; // steady clock; lets most calls skip the lock
    std::mutex m_mutex;                         // guards what follows and the order of output
    bool m_line_shown = false;
    std::map<std::string, ProgressMeter, std::less<>> m_meters; // of the phases under way
};

// Chooses, once per run, whether errors go to stderr as text or (--progress=json) as JSON
// lines; before this, as text.
void configure_stderr(const GlobalOptions& options);

// An error on stderr: "airlock: error: MESSAGE" and indented context lines, or in JSON-lines
// mode one {"event":"error","message":...,"context":[...]} object, `details` (an object:
// "class", "exitCode") merged in.
void print_error(std::string_view message,
                 const std::vector<std::string>& context = {},
                 const nlohmann::ordered_json& details = nlohmann::ordered_json::object());

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

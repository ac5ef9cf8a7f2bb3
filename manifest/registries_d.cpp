// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/file.hpp>
#include <airlock/base/paths.hpp>
#include <airlock/base/str_cat.hpp>
#include <airlock/base/text_lines.hpp>
#include <airlock/manifest/registries_d.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace airlock::manifest {

namespace {

constexpr std::size_t k_max_file = 1U << 20U;
constexpr std::size_t k_max_depth = 4;
constexpr std::size_t k_max_files = 1000;

struct Line
{
    std::size_t number = 0;
    std::size_t indent = 0;
    std::string key;
    std::string value; // empty: a mapping follows
};

Result<std::string> unquote(std::string_view text, std::string_view where)
{
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'')
        && text.back() == text.front()) {
        const std::string_view inner = text.substr(1, text.size() - 2);
        if (inner.find(text.front()) != std::string_view::npos
            || inner.find('\\') != std::string_view::npos) {
            return fail(Errc::format,
                        str_cat(where, ": escapes in quoted strings are not supported"));
        }
        return std::string(inner);
    }
    if (!text.empty() && (text.front() == '"' || text.front() == '\'')) {
        return fail(Errc::format, str_cat(where, ": unterminated quoted string"));
    }
    if (!text.empty()
        && std::string_view("[{&*!|>%@`").find(text.front()) != std::string_view::npos) {
        return fail(Errc::format,
                    str_cat(where, ": only plain or quoted scalars are supported here"));
    }
    return std::string(text);
}

// Drops a comment: '#' at the start or after white space, outside quotes.
std::string_view without_comment(std::string_view line)
{
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
            return line.substr(0, i);
        }
    }
    return line;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    return s;
}

Result<std::vector<Line>> split_lines(std::string_view text, std::string_view file)
{
    std::vector<Line> lines;
    TextLines source(text);
    while (const auto raw = source.next()) {
        const std::size_t number = source.number();
        const std::string where = str_cat(file, ":", number);
        const std::string_view content = without_comment(*raw);
        if (trim(content).empty() || trim(content) == "---") {
            continue;
        }
        std::size_t indent = 0;
        while (indent < content.size() && content[indent] == ' ') {
            ++indent;
        }
        if (indent < content.size() && content[indent] == '\t') {
            return fail(Errc::format, str_cat(where, ": tabs are not allowed for indentation"));
        }
        const std::string_view body = trim(content.substr(indent));
        if (body.starts_with("- ") || body == "-") {
            return fail(Errc::format, str_cat(where, ": lists are not part of registries.d"));
        }
        // The key ends at the first ": " (or a ':' ending the line) outside quotes.
        std::size_t colon = std::string_view::npos;
        char quote = 0;
        for (std::size_t i = 0; i < body.size(); ++i) {
            const char c = body[i];
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ':' && (i + 1 == body.size() || body[i + 1] == ' ')) {
                colon = i;
                break;
            }
        }
        if (colon == std::string_view::npos) {
            return fail(Errc::format, str_cat(where, ": expected KEY: VALUE"));
        }
        AIRLOCK_TRY_ASSIGN(std::string key, unquote(trim(body.substr(0, colon)), where));
        AIRLOCK_TRY_ASSIGN(std::string value, unquote(trim(body.substr(colon + 1)), where));
        if (key.empty()) {
            return fail(Errc::format, str_cat(where, ": empty key"));
        }
        lines.push_back({number, indent, std::move(key), std::move(value)});
    }
    return lines;
}

Result<> read_lookaside(const std::vector<Line>& lines,
                        std::size_t& i,
                        std::size_t indent,
                        std::string_view file,
                        LookasideConfig& out)
{
    while (i < lines.size() && lines[i].indent > indent) {
        const Line& line = lines[i];
        const std::string where = str_cat(file, ":", line.number);
        if (line.value.empty()) {
            return fail(Errc::format, str_cat(where, ": ", line.key, " needs a value"));
        }
        if (line.key == "lookaside" || line.key == "sigstore") {
            out.lookaside = line.value;
        } else if (line.key == "lookaside-staging" || line.key == "sigstore-staging") {
            out.lookaside_staging = line.value;
        }
        // use-sigstore-attachments and keys of newer versions do not concern lookaside stores.
        ++i;
    }
    return {};
}

} // namespace

Result<> parse_registries_d(std::string_view text, std::string_view file, RegistriesD& into)
{
    if (text.size() > k_max_file) {
        return fail(Errc::format, str_cat(file, ": larger than 1 MiB"));
    }
    AIRLOCK_TRY_ASSIGN(const std::vector<Line> lines, split_lines(text, file));
    std::vector<std::size_t> stack;
    for (const auto& line : lines) {
        while (!stack.empty() && stack.back() >= line.indent) {
            stack.pop_back();
        }
        if (line.value.empty()) {
            stack.push_back(line.indent);
        }
        if (stack.size() > k_max_depth) {
            return fail(Errc::format, str_cat(file, ":", line.number, ": nested too deeply"));
        }
    }
    std::size_t i = 0;
    while (i < lines.size()) {
        const Line& top = lines[i];
        const std::string where = str_cat(file, ":", top.number);
        if (top.indent != 0) {
            return fail(Errc::format, str_cat(where, ": unexpected indentation"));
        }
        ++i;
        if (top.key == "default-docker") {
            if (!top.value.empty()) {
                return fail(Errc::format, str_cat(where, ": default-docker is a mapping"));
            }
            if (!into.default_docker.lookaside.empty()
                || !into.default_docker.lookaside_staging.empty()) {
                return fail(Errc::format, str_cat(where, ": default-docker is configured twice"));
            }
            AIRLOCK_TRY(read_lookaside(lines, i, 0, file, into.default_docker));
        } else if (top.key == "docker") {
            if (!top.value.empty()) {
                return fail(Errc::format, str_cat(where, ": docker is a mapping"));
            }
            while (i < lines.size() && lines[i].indent > 0) {
                const Line& scope = lines[i];
                const std::string at = str_cat(file, ":", scope.number);
                if (!scope.value.empty()) {
                    return fail(Errc::format, str_cat(at, ": ", scope.key, " is a mapping"));
                }
                if (into.docker.contains(scope.key)) {
                    return fail(Errc::format, str_cat(at, ": ", scope.key, " is configured twice"));
                }
                ++i;
                LookasideConfig config;
                AIRLOCK_TRY(read_lookaside(lines, i, scope.indent, file, config));
                into.docker.emplace(scope.key, std::move(config));
            }
        } else {
            while (i < lines.size() && lines[i].indent > 0) {
                ++i; // another transport's section
            }
        }
    }
    return {};
}

Result<RegistriesD> load_registries_d(const std::filesystem::path& dir)
{
    RegistriesD config;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        return config;
    }
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".yaml") {
            files.push_back(it->path());
        }
        if (files.size() > k_max_files) {
            return fail(Errc::format, str_cat(dir.string(), ": more than 1000 files"));
        }
    }
    if (ec) {
        return fail(Errc::io, str_cat("cannot list ", dir.string(), ": ", ec.message()));
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        AIRLOCK_TRY_ASSIGN(const std::string text, read_file(file, k_max_file));
        AIRLOCK_TRY(parse_registries_d(text, file.string(), config));
    }
    return config;
}

std::filesystem::path registries_d_dir(const std::filesystem::path& given)
{
    if (!given.empty()) {
        return given;
    }
    const std::filesystem::path user =
        user_config_dir().parent_path() / "containers" / "registries.d";
    std::error_code ec;
    if (std::filesystem::is_directory(user, ec)) {
        return user;
    }
    return "/etc/containers/registries.d";
}

Result<> check_registries_d_option(const std::filesystem::path& given)
{
    std::error_code ec;
    if (!given.empty() && !std::filesystem::is_directory(given, ec)) {
        return fail(Errc::usage,
                    str_cat("--registries.d ",
                            given.string(),
                            ": not a directory (it holds the *.yaml files naming the lookaside "
                            "stores)"));
    }
    return {};
}

std::optional<std::filesystem::path> lookaside_directory(std::string_view url)
{
    if (!url.starts_with("file://")) {
        return std::nullopt;
    }
    std::string_view rest = url.substr(7);
    if (rest.starts_with("localhost/")) {
        rest.remove_prefix(9);
    }
    if (!rest.starts_with('/')) {
        return std::nullopt; // file://HOST/... names another machine
    }
    std::string path;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '%' && i + 2 < rest.size()
            && std::isxdigit(static_cast<unsigned char>(rest[i + 1]))
            && std::isxdigit(static_cast<unsigned char>(rest[i + 2]))) {
            path.push_back(
                static_cast<char>(std::stoi(std::string(rest.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            path.push_back(rest[i]);
        }
    }
    return std::filesystem::path(path);
}

std::string lookaside_url(const RegistriesD& config, std::string_view repository, bool write)
{
    const auto url_of = [write](const LookasideConfig& c) {
        return write && !c.lookaside_staging.empty() ? c.lookaside_staging : c.lookaside;
    };
    std::string_view scope = repository;
    while (!scope.empty()) {
        if (const auto it = config.docker.find(std::string(scope)); it != config.docker.end()) {
            if (std::string url = url_of(it->second); !url.empty()) {
                return url;
            }
        }
        const std::size_t slash = scope.rfind('/');
        scope = slash == std::string_view::npos ? std::string_view() : scope.substr(0, slash);
    }
    return url_of(config.default_docker);
}

std::string signature_url(std::string_view base,
                          std::string_view repository,
                          std::string_view digest,
                          unsigned n)
{
    const std::size_t slash = repository.find('/');
    const std::string_view path =
        slash == std::string_view::npos ? repository : repository.substr(slash + 1);
    std::string algo_hex(digest);
    if (const std::size_t colon = algo_hex.find(':'); colon != std::string::npos) {
        algo_hex[colon] = '=';
    }
    std::string_view trimmed = base;
    while (trimmed.ends_with('/')) {
        trimmed.remove_suffix(1);
    }
    return str_cat(trimmed, "/", path, "@", algo_hex, "/signature-", n);
}

} // namespace airlock::manifest

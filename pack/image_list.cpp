// SPDX-License-Identifier: Apache-2.0
#include <airlock/base/str_cat.hpp>
#include <airlock/manifest/reference.hpp>
#include <airlock/pack/image_list.hpp>

#include <sstream>

namespace airlock::pack {

namespace {

std::vector<std::string> split_commas(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const std::string_view item = text.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (!item.empty()) {
            out.emplace_back(item);
        }
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

} // namespace

Result<std::vector<ImageRequest>> parse_image_list(std::string_view text, std::string_view source)
{
    std::vector<ImageRequest> out;
    std::istringstream lines{std::string(text)};
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        if (const auto hash = line.find('#'); hash != std::string::npos) {
            line.erase(hash);
        }
        std::istringstream words(line);
        std::string word;
        if (!(words >> word)) {
            continue;
        }
        const auto bad = [&](std::string_view why) {
            return fail(Errc::usage, str_cat(source, ":", number, ": ", why));
        };
        ImageRequest request;
        request.reference = word;
        while (words >> word) {
            const auto eq = word.find('=');
            const std::string key = word.substr(0, eq);
            const std::string value = eq == std::string::npos ? std::string() : word.substr(eq + 1);
            if (value.empty()) {
                return bad(str_cat("expected key=value, got '", word, "'"));
            }
            if (key == "platform") {
                for (const auto& p : split_commas(value)) {
                    if (p == "all") {
                        request.all_platforms = true;
                        continue;
                    }
                    auto platform = manifest::Platform::parse(p);
                    if (!platform) {
                        return bad(platform.error().message);
                    }
                    request.platforms.push_back(*platform);
                }
            } else if (key == "tags") {
                for (const auto& tag : split_commas(value)) {
                    if (!manifest::is_valid_tag(tag)) {
                        return bad(str_cat("invalid tag '", tag, "'"));
                    }
                    request.tags.push_back(tag);
                }
            } else if (key == "require-signature") {
                for (const auto& key_file : split_commas(value)) {
                    request.require_signature.emplace_back(key_file);
                }
            } else {
                return bad(str_cat(
                    "unknown key '", key, "' (use platform=, tags= or require-signature=)"));
            }
        }
        if (request.all_platforms && !request.platforms.empty()) {
            return bad("platform=all and a named platform exclude each other");
        }
        out.push_back(std::move(request));
    }
    return out;
}

} // namespace airlock::pack

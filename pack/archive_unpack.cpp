// SPDX-License-Identifier: Apache-2.0
//
// The tar of an archive source, unpacked below a private directory. Nothing in it is trusted:
// each member's name is checked before anything is written for it, links are made only once
// every regular file is out (and only to one of those), and nothing but regular files,
// directories and links is accepted.

#include "archive_unpack.hpp"

#include <airlock/archive/tar_reader.hpp>
#include <airlock/base/cancel.hpp>
#include <airlock/base/file.hpp>
#include <airlock/base/sequential_file.hpp>
#include <airlock/base/str_cat.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <span>
#include <vector>

namespace airlock::pack {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_max_entries = 100'000;
constexpr int k_max_link_hops = 8;
constexpr std::size_t k_copy_buffer = 1U << 20U;
// What unpacking leaves free on the cache's file system: the bundle's own temporary files, the
// manifests made for a docker-archive and whatever else runs there need room too.
constexpr std::uint64_t k_free_space_margin = 64ULL << 20U;

Error unsafe(const fs::path& file, std::string_view name, std::string_view why)
{
    return Error{Errc::unsafe_entry, str_cat(file.string(), ": entry '", name, "' ", why), {}};
}

// Whether `root`'s file system can take `size` more bytes and keep k_free_space_margin free.
// Asked before each member is written, so the members already out count: a small compressed
// archive that unpacks to more than the disk holds (a tar bomb) stops at its first member that
// would not fit, before any of its bytes are written, rather than filling the disk. Errc::io:
// a genuine archive too large for the disk looks the same, and either way the fix is room.
Result<>
check_room(const fs::path& file, const fs::path& root, std::string_view name, std::uint64_t size)
{
    std::error_code ec;
    const fs::space_info space = fs::space(root, ec);
    if (ec) {
        return fail(Errc::io,
                    str_cat("cannot tell the free space in ", root.string(), ": ", ec.message()));
    }
    if (space.available >= k_free_space_margin && space.available - k_free_space_margin >= size) {
        return {};
    }
    return fail(Errc::io,
                str_cat(file.string(),
                        ": entry '",
                        name,
                        "' is ",
                        human_size(size),
                        ", more than the ",
                        human_size(space.available),
                        " free in ",
                        root.string(),
                        " (unpacking leaves ",
                        human_size(k_free_space_margin),
                        " free there; --cache names another place)"));
}

// The device `part` names on Windows, in upper case, or nothing. Windows takes these names for
// devices in any directory, in any case and whatever follows a dot or trailing spaces ("nul.tar",
// "Aux .json"); COM and LPT with a digit, the ISO 8859-1 superscripts ¹²³ included.
std::optional<std::string> windows_device(std::string_view part)
{
    std::string_view stem = part.substr(0, part.find('.'));
    while (stem.ends_with(' ')) {
        stem.remove_suffix(1);
    }
    std::string upper(stem);
    for (char& c : upper) {
        c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    }
    if (upper == "CON" || upper == "PRN" || upper == "AUX" || upper == "NUL") {
        return upper;
    }
    if (!upper.starts_with("COM") && !upper.starts_with("LPT")) {
        return std::nullopt;
    }
    const std::string_view number = std::string_view(upper).substr(3);
    // The superscripts in UTF-8 and, as a Windows code page may pass names on, in ISO 8859-1.
    constexpr std::array<std::string_view, 6> k_superscripts = {
        "\xc2\xb9", "\xc2\xb2", "\xc2\xb3", "\xb9", "\xb2", "\xb3"};
    if ((number.size() == 1 && number[0] >= '0' && number[0] <= '9')
        || std::find(k_superscripts.begin(), k_superscripts.end(), number)
               != k_superscripts.end()) {
        return upper;
    }
    return std::nullopt;
}

// Why Windows could not create path `name` of the archive as written, or nothing; "." and ".."
// parts are left to member_path. Refused on every platform: an archive is made to be carried,
// and unpacks the same everywhere or nowhere. The name is taken as the archive has it, before
// std::filesystem converts it: on Windows that may change the bytes of a non-ASCII name.
std::optional<std::string> windows_name_problem(std::string_view name)
{
    std::size_t start = 0;
    while (start < name.size()) {
        const std::size_t end = std::min(name.find('/', start), name.size());
        const std::string_view part = name.substr(start, end - start);
        start = end + 1;
        if (part == "." || part == "..") {
            continue;
        }
        if (const auto device = windows_device(part)) {
            return str_cat("names a device on Windows (", *device, ")");
        }
        if (part.ends_with('.') || part.ends_with(' ')) {
            return str_cat("has a part ending in a dot or a space ('",
                           part,
                           "'), which Windows drops from names");
        }
    }
    return std::nullopt;
}

// The names an archive has taken so far, so that a member in another's way is refused before
// anything is written for it: a second member of one name, a file or link where a directory
// is, a directory where a file is, anything under a file. The file system would stop most of
// these too, but as an I/O error of the cache, not as what they are: a malformed archive.
class MemberNames
{
  public:
    // Takes `member` (entry `name` of `file`) for a regular file, link or device.
    // Errc::unsafe_entry when it is in another's way.
    Result<> add_file(const fs::path& file, std::string_view name, const std::string& member)
    {
        if (m_files.contains(member)) {
            return std::unexpected(unsafe(file, name, "appears twice"));
        }
        if (m_directories.contains(member)) {
            return std::unexpected(
                unsafe(file, name, "is a file where the archive has a directory"));
        }
        AIRLOCK_TRY(add_parents(file, name, member));
        m_files.insert(member);
        return {};
    }

    // Takes `member` for a directory (which may appear more than once). Errc::unsafe_entry.
    Result<> add_directory(const fs::path& file, std::string_view name, const std::string& member)
    {
        if (m_files.contains(member)) {
            return std::unexpected(
                unsafe(file, name, "is a directory where the archive has a file"));
        }
        AIRLOCK_TRY(add_parents(file, name, member));
        m_directories.insert(member);
        return {};
    }

  private:
    // Takes each directory above `member`, refusing one that is a file.
    Result<> add_parents(const fs::path& file, std::string_view name, const std::string& member)
    {
        for (std::size_t slash = member.find('/'); slash != std::string::npos;
             slash = member.find('/', slash + 1)) {
            const std::string parent = member.substr(0, slash);
            if (m_files.contains(parent)) {
                return std::unexpected(
                    unsafe(file, name, str_cat("is under '", parent, "', a file of the archive")));
            }
            m_directories.insert(parent);
        }
        return {};
    }

    std::set<std::string> m_files; // regular files, links and devices
    std::set<std::string> m_directories;
};

// A link of the archive, made once every regular file is out.
struct Link
{
    std::string member;
    std::string target; // a member path
};

Result<> write_entry(archive::TarReader& reader, const fs::path& target)
{
    AIRLOCK_TRY(make_directories(target.parent_path()));
    AIRLOCK_TRY_ASSIGN(SequentialFileWriter out, SequentialFileWriter::create(target));
    std::vector<char> buffer(k_copy_buffer);
    for (;;) {
        AIRLOCK_TRY(check_cancel());
        AIRLOCK_TRY_ASSIGN(const std::size_t got, reader.read(buffer));
        if (got == 0) {
            break;
        }
        AIRLOCK_TRY(out.write(std::span<const char>(buffer.data(), got)));
    }
    return out.sync_and_close();
}

// Makes each link a hard link to the regular file it ends at, through at most k_max_link_hops
// links, and returns that file's member for each.
Result<LinkTargets>
make_links(const fs::path& file, const fs::path& root, const std::vector<Link>& links)
{
    std::map<std::string, std::string> target_of;
    for (const auto& link : links) {
        target_of[link.member] = link.target;
    }
    LinkTargets out;
    for (const auto& link : links) {
        std::string at = link.target;
        for (int hop = 0; hop < k_max_link_hops && target_of.contains(at); ++hop) {
            at = target_of.at(at);
        }
        if (!regular_file_size(root / at)) {
            return fail(Errc::format,
                        str_cat(file.string(),
                                ": link '",
                                link.member,
                                "' leads to '",
                                at,
                                "', which is not a file of the archive"));
        }
        std::error_code ec;
        // A hard link, never a copy: a copy per link would let a small archive fill the disk.
        fs::create_hard_link(root / at, root / link.member, ec);
        if (ec) {
            return fail(Errc::io,
                        str_cat("cannot make ", (root / link.member).string(), ": ", ec.message()));
        }
        out.emplace(link.member, std::move(at));
    }
    return out;
}

} // namespace

std::optional<std::string> member_path(std::string_view name)
{
    if (name.empty() || name.find('\\') != std::string_view::npos
        || name.find(':') != std::string_view::npos) {
        return std::nullopt;
    }
    const fs::path path = fs::path(std::string(name)).lexically_normal();
    if (path.has_root_name() || path.has_root_directory()) {
        return std::nullopt;
    }
    for (const auto& part : path) {
        if (part == "..") {
            return std::nullopt;
        }
    }
    std::string out = path.generic_string();
    while (!out.empty() && out.back() == '/') {
        out.pop_back();
    }
    if (out == ".") {
        out.clear();
    }
    return out;
}

Result<LinkTargets> unpack_tar(const fs::path& file, const fs::path& root)
{
    AIRLOCK_TRY_ASSIGN(archive::TarReader reader, archive::TarReader::open(file));
    MemberNames names;
    std::vector<Link> links;
    for (std::size_t count = 0;; ++count) {
        AIRLOCK_TRY_ASSIGN(const std::optional<archive::TarEntry> entry, reader.next());
        if (!entry) {
            break;
        }
        if (count >= k_max_entries) {
            return fail(Errc::format,
                        str_cat(file.string(), " has more than ", k_max_entries, " entries"));
        }
        const auto member = member_path(entry->path);
        if (!member) {
            return std::unexpected(unsafe(file, entry->path, "leaves the archive"));
        }
        if (const auto problem = windows_name_problem(entry->path)) {
            return std::unexpected(unsafe(file, entry->path, *problem));
        }
        if (member->empty()) {
            continue;
        }
        if (entry->type == archive::EntryType::directory) {
            AIRLOCK_TRY(names.add_directory(file, entry->path, *member));
            continue;
        }
        AIRLOCK_TRY(names.add_file(file, entry->path, *member));
        if (entry->sparse) {
            // Its holes would be written out as zeros: a small archive could fill the disk.
            return std::unexpected(unsafe(file, entry->path, "is a sparse file"));
        }
        switch (entry->type) {
        case archive::EntryType::regular:
            AIRLOCK_TRY(check_room(file, root, entry->path, entry->size));
            AIRLOCK_TRY(write_entry(reader, root / *member));
            break;
        case archive::EntryType::symlink:
        case archive::EntryType::hardlink: {
            // A symlink's target is relative to its directory, a hard link's to the archive.
            const std::string base = entry->type == archive::EntryType::symlink
                                         ? fs::path(*member).parent_path().generic_string()
                                         : std::string();
            const auto target = member_path(base.empty() ? entry->link_target
                                                         : str_cat(base, "/", entry->link_target));
            if (!target || target->empty() || entry->link_target.starts_with('/')) {
                return std::unexpected(unsafe(file, entry->path, "links out of the archive"));
            }
            if (const auto problem = windows_name_problem(entry->link_target)) {
                return std::unexpected(
                    unsafe(file,
                           entry->path,
                           str_cat("links to '", entry->link_target, "', which ", *problem)));
            }
            links.push_back({*member, *target});
            break;
        }
        case archive::EntryType::directory:
            break;
        case archive::EntryType::other:
            return std::unexpected(unsafe(file, entry->path, "is a device, FIFO or socket"));
        }
    }
    for (const auto& link : links) {
        AIRLOCK_TRY(make_directories((root / link.member).parent_path()));
    }
    return make_links(file, root, links);
}

} // namespace airlock::pack

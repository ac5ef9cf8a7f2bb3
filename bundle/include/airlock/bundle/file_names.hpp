// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace airlock::bundle {

// The files of a bundle BUNDLE on disk, besides BUNDLE itself: its parts when split
// (BUNDLE.001, BUNDLE.002, ...) with the signed BUNDLE.parts.json that lists them, and the
// co-signatures of `airlock sign` (BUNDLE.cosign.json). Pack writes these names and import,
// verify and sign find them, so both sides take them from here.

// Part numbers are written with at least this many digits (BUNDLE.001); a set of more than 999
// parts has all its numbers one digit wider (BUNDLE.0001), so that `cat BUNDLE.*` always joins
// the parts in order. Readers take names with this many digits or more for parts.
inline constexpr std::size_t k_part_number_digits = 3;
inline constexpr std::size_t k_max_part_number_digits = 9;

// The digits every number of a set of at most `parts` parts is written with.
std::size_t part_number_digits(std::uint64_t parts);

// BUNDLE.parts.json: the signed list of a split bundle's parts.
std::filesystem::path parts_file_path(const std::filesystem::path& bundle);

// BUNDLE.NNN: part `number` (from 1) of a split bundle, written with `digits` digits.
std::filesystem::path part_path(const std::filesystem::path& bundle,
                                std::size_t number,
                                std::size_t digits = k_part_number_digits);

// The bundle name of the part file name `name` ("x.bundle.003" -> "x.bundle"); empty when
// `name` does not end in a part number (3 to 9 digits).
std::string part_bundle_name(std::string_view name);

// BUNDLE.cosign.json: where co-signatures added by `airlock sign` live, beside the bundle, so
// that adding one never rewrites the bundle. Same format as signatures.json.
std::filesystem::path cosignature_path(const std::filesystem::path& bundle);

// True for the temporary names a pack to the file named `bundle` makes beside it (see
// temporary_name): `.OUT.tmp-*`, `.OUT.NNN.tmp-*`, `.OUT.NNN.old-*`,
// `.OUT.parts.json.{tmp,old}-*`, `.OUT.cosign.json.tmp-*`; nothing of another bundle in the
// same directory (x.bundle.v2 beside x.bundle).
bool is_pack_temporary(std::string_view name, const std::string& bundle);

} // namespace airlock::bundle

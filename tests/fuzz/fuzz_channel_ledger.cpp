// SPDX-License-Identifier: Apache-2.0
//
// The channel ledger of an OCI store (DIR/.airlock/channels.json: the highest sequence imported
// per channel), read before every import of a bundle that names a channel. Each mark goes
// through parse_channel_mark, which also checks the marks kept in a registry store.
#include "channel_state.hpp"
#include "input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto path = airlock::fuzz::input_directory().write("channels.json", data, size);
    airlock::unpack::ChannelLedgerFile ledger(path);
    (void)ledger.read("monthly");
    return 0;
}

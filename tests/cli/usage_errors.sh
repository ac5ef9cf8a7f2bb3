# Command lines airlock does not understand: one "airlock: error:" line naming the unknown word,
# the nearest known one, exit 2, and a JSON error object with --json; `airlock help` helps.
. "$(dirname "$0")/common.sh"

expect_fail 2 "unknown command 'pakc' for 'airlock'; did you mean 'pack'\?" airlock pakc -o x.bundle
expect_fail 2 "unknown option '--verison' for 'airlock'; did you mean '--version'\?" airlock --verison
expect_fail 2 "unknown command 'gen' for 'airlock key'; did you mean 'generate'\?" airlock key gen -o k
expect_fail 2 "unknown option '--trusted-kye' for 'airlock verify'; did you mean '--trusted-key'\?" \
    airlock verify b.bundle --trusted-kye k.pub
expect_fail 2 "'airlock' needs a command \(see 'airlock --help'\)" airlock
expect_fail 2 "unknown command 'frobnicate' for 'airlock' \(commands: key, pack" airlock frobnicate

step "--json gets a JSON error object too"
code=0
airlock verify b.bundle --trusted-kye k.pub --json > err.json 2> /dev/null || code=$?
assert_eq "$code" 2 "exit code"
jq -e '.ok == false and .error.class == "usage" and (.error.message | test("--trusted-key")) and .exitCode == 2' \
    err.json > /dev/null || fail "JSON usage error: $(cat err.json)"

step "airlock help"
airlock help | grep -q "Subcommands:" || fail "airlock help printed no commands"
airlock help pack | grep -q -- "--split" || fail "airlock help pack is not pack's help"

# A medium that fails to read (EIO, injected by tests/fault_inject.c) is an I/O error naming the
# file or part that failed (exit 1), not a corrupt bundle (exit 4), and nothing is imported.
. "$(dirname "$0")/common.sh"

lib=${AIRLOCK_FAULT_LIB:-}
[ -n "$lib" ] && [ -f "$lib" ] || skip "no fault-injection library (AIRLOCK_FAULT_LIB)"
binary_is_dynamic || skip "$AIRLOCK is static: LD_PRELOAD cannot inject faults"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# failing SUFFIX COMMAND...: runs COMMAND with every read of a file ending in SUFFIX failing.
failing() {
    suffix=$1
    shift
    env LD_PRELOAD="$lib" AIRLOCK_FAULT_READ="$suffix" "$@"
}

make_key k
airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" -o site.bundle --sign-key k.key --split 1M -q > /dev/null
airlock pack "oci:$images/sample:1.0" -o one.bundle --sign-key k.key -q > /dev/null
airlock import one.bundle --to oci:store --trusted-key k.pub -q > /dev/null
snapshot=$(tree_digest store)

step "a bundle that cannot be read"
expect_fail 1 "cannot read one.bundle: Input/output error" \
    failing one.bundle "$AIRLOCK" verify one.bundle --trusted-key k.pub
expect_fail 1 "cannot read one.bundle: Input/output error" \
    failing one.bundle "$AIRLOCK" import one.bundle --to oci:store --trusted-key k.pub

step "a part in the middle that cannot be read is named"
expect_fail 1 "cannot read (\./)?site.bundle.002: Input/output error" \
    failing site.bundle.002 "$AIRLOCK" import site.bundle.parts.json --to oci:store --trusted-key k.pub
if grep -q "site.bundle.001" err; then
    fail "the error names the first part, not the one that failed: $(cat err)"
fi
assert_eq "$(tree_digest store)" "$snapshot" "store after a failed read"
assert_eq "$(ls store/.airlock | grep -v '^imports.json$')" "lock" "what stays in .airlock"
expect_fail 1 "site.bundle.003.*Input/output error" \
    failing site.bundle.003 "$AIRLOCK" verify site.bundle.parts.json --trusted-key k.pub
airlock import site.bundle.parts.json --to oci:store --trusted-key k.pub -q > /dev/null

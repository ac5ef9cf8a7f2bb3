# Sourced by every end-to-end test: a fresh scratch directory `$t` (kept when the test fails),
# the binary under test as `airlock`, and assertion helpers. Exit 77 means skipped.
set -eu

: "${AIRLOCK:?run through ctest (AIRLOCK is the binary under test)}"
: "${AIRLOCK_TEST_IMAGES:?run through ctest}"
: "${AIRLOCK_SOURCE:?run through ctest}"
test_name=$(basename "$0" .sh)
t=${AIRLOCK_TEST_SCRATCH:-/tmp/airlock-tests}/$test_name
rm -rf "$t"
mkdir -p "$t"
cd "$t"
images=$AIRLOCK_TEST_IMAGES
tamper="python3 $AIRLOCK_SOURCE/tests/cli/tamper.py"

finish() {
    status=$?
    if [ $status -eq 0 ]; then
        rm -rf "$t"
    elif [ $status -ne 77 ]; then
        echo "FAILED: $test_name (scratch kept in $t)" >&2
    fi
}
trap finish EXIT

airlock() {
    "$AIRLOCK" "$@"
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

skip() {
    echo "SKIP: $*"
    exit 77
}

step() {
    echo "--- $*"
}

# expect_fail CODE PATTERN COMMAND...: COMMAND must exit with CODE and print PATTERN (an
# extended regex) on stderr.
expect_fail() {
    want=$1
    pattern=$2
    shift 2
    set +e
    "$@" > "$t/out" 2> "$t/err"
    got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        cat "$t/err" >&2
        fail "'$*' exited $got, expected $want"
    fi
    if ! grep -Eq -- "$pattern" "$t/err"; then
        cat "$t/err" >&2
        fail "'$*' did not say /$pattern/"
    fi
    echo "ok ($got): $(head -n 1 "$t/err")"
}

# One hash over a store's names, types, modes, sizes, mtimes and contents. airlock's private
# .airlock/ (the lock file and the staging area of running imports) is left out; tests check
# separately that nothing stays behind in it.
tree_digest() {
    if [ ! -e "$1" ]; then
        echo absent
        return
    fi
    (
        cd "$1"
        find . -path ./.airlock -prune -o -printf '%P %y %m %s %T@\n' | LC_ALL=C sort
        find . -path ./.airlock -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
    ) | sha256sum | cut -d' ' -f1
}

assert_eq() {
    if [ "$1" != "$2" ]; then
        fail "${3:-values differ}: '$1' != '$2'"
    fi
}

# Makes the signing key pair k.key / k.pub in $t.
make_key() {
    airlock key generate -o "$t/${1:-k}" ${2:+--type "$2"} > /dev/null
}

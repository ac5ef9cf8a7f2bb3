# Sourced by every end-to-end test: a fresh scratch directory `$t` (kept when the test fails),
# the binary under test as `airlock`, and assertion helpers. Exit 77 means skipped.
# The binary under test is the build's own (AIRLOCK_BUILT, set by ctest) unless AIRLOCK names
# another by its absolute path: `AIRLOCK=$PWD/dist/airlock-VERSION-linux-x86_64 ctest -R cli/`
# runs the suite against the static release binary.
set -eu

AIRLOCK=${AIRLOCK:-${AIRLOCK_BUILT:-}}
: "${AIRLOCK:?run through ctest (AIRLOCK is the binary under test)}"
case "$AIRLOCK" in
/*) ;;
*)
    echo "AIRLOCK must be an absolute path (tests run in their own directories): $AIRLOCK" >&2
    exit 1
    ;;
esac
: "${AIRLOCK_TEST_IMAGES:?run through ctest}"
: "${AIRLOCK_SOURCE:?run through ctest}"
test_name=$(basename "$0" .sh)
t=${AIRLOCK_TEST_SCRATCH:-/tmp/airlock-tests}/$test_name
rm -rf "$t"
mkdir -p "$t"
cd "$t"
images=$AIRLOCK_TEST_IMAGES
tamper="python3 $AIRLOCK_SOURCE/tests/cli/tamper.py"

# airlock.exe (the Windows build) runs under Wine, in the Wine prefix of the machine's user
# (made once, shared by the tests), through a wrapper so that "$AIRLOCK" stays one command.
# Windows sees the Linux file system as drive Z:, and relative paths as they are.
airlock_windows=""
case "$AIRLOCK" in
*.exe)
    airlock_windows=$AIRLOCK
    wine_prefix=${AIRLOCK_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/airlock-wine}
    ;;
esac

# Isolated from the machine's Docker credentials and caches.
export HOME="$t/home" XDG_CACHE_HOME="$t/cache" DOCKER_CONFIG="$t/home/.docker"
mkdir -p "$HOME"
if [ -n "$airlock_windows" ]; then
    AIRLOCK=$HOME/airlock-exe
    printf '#!/bin/sh\nAIRLOCK_WINEPREFIX=%s exec %s %s "$@"\n' "'$wine_prefix'" \
        "'$AIRLOCK_SOURCE/scripts/wine-run'" "'$airlock_windows'" > "$AIRLOCK"
    chmod +x "$AIRLOCK"
fi
background_pids=""
registries=""

finish() {
    status=$?
    for pid in $background_pids; do
        kill "$pid" 2> /dev/null || true
    done
    for dir in $registries; do
        "$AIRLOCK_SOURCE/scripts/test-registry" stop "$dir" || true
    done
    for dir in ${services:-}; do
        "$AIRLOCK_SOURCE/scripts/services" stop "$dir" || true
    done
    if [ $status -eq 0 ]; then
        rm -rf "$t"
    elif [ $status -ne 77 ]; then
        echo "FAILED: $test_name (scratch kept in $t)" >&2
    fi
}
trap finish EXIT

# A run's exit status is lost in a pipeline or a command substitution ($(airlock ... | jq ...));
# every non-zero one is kept, so that a failing test shows which runs failed before it.
airlock() {
    airlock_status=0
    "$AIRLOCK" "$@" || airlock_status=$?
    [ "$airlock_status" -eq 0 ] || echo "airlock $* exited $airlock_status" >> "$t/airlock-exits.log"
    return "$airlock_status"
}

# damage_byte FILE OFFSET: inverts every bit of the byte at OFFSET, so that the file always
# changes (writing a fixed byte there leaves it as it was once in 256 files).
damage_byte() {
    python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)
    f.seek(int(sys.argv[2]))
    f.write(bytes([b[0] ^ 0xFF]))' "$1" "$2"
}

fail() {
    echo "FAIL: $*" >&2
    if [ -s "$t/airlock-exits.log" ]; then
        echo "airlock runs that exited non-zero before (expected failures included), the last 5:" >&2
        tail -n 5 "$t/airlock-exits.log" >&2
    fi
    exit 1
}

skip() {
    echo "SKIP: $*"
    exit 77
}

# Whether the binary under test is dynamically linked (the static release binary is not: it
# has no interpreter, so LD_PRELOAD cannot reach it).
binary_is_dynamic() {
    [ -z "$airlock_windows" ] && ldd "$AIRLOCK" > /dev/null 2>&1
}

# A directory separator in a pattern for expect_fail: airlock.exe writes paths with "\".
sep='[/\\]'

# skip_on_windows REASON: this test needs what airlock.exe under Wine does not have.
skip_on_windows() {
    [ -z "$airlock_windows" ] || skip "airlock.exe: $*"
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

# check_json NAME FILE: FILE holds one JSON document valid under docs/schema/NAME.schema.json.
check_json() {
    python=python3
    if /usr/bin/python3 -c "import jsonschema" 2> /dev/null; then
        python=/usr/bin/python3
    fi
    "$python" "$AIRLOCK_SOURCE/tests/cli/check_json.py" "$AIRLOCK_SOURCE/docs/schema" "$1" "$2" ||
        fail "$2 does not match docs/schema/$1.schema.json: $(head -c 600 "$2")"
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

# start_registry MODE NAME: starts a real registry (scripts/test-registry) in $t/NAME and
# sources its env (REGISTRY, CERT_DIR, CA, REG_USER, REG_PASS, REGISTRY_LOG).
start_registry() {
    command -v docker-registry > /dev/null || skip "docker-registry is not installed"
    registries="$registries $t/$2"
    "$AIRLOCK_SOURCE/scripts/test-registry" start "$1" "$t/$2"
    . "$t/$2/env"
}

# wait_file FILE: waits (bounded) until FILE exists.
wait_file() {
    for _ in $(seq 1 100); do
        [ -s "$1" ] && return 0
        sleep 0.1
    done
    fail "$1 never appeared"
}

# new_staging KNOWN...: waits until an import is mid-stream, with a staging directory in the
# store $STAGING_STORE (default: store) whose name is none of KNOWN, and prints that name.
new_staging() {
    for _ in $(seq 1 100); do
        for dir in ${STAGING_STORE:-store}/.airlock/staging-*; do
            name=${dir##*/}
            if [ -d "$dir" ] && ! echo " $* " | grep -q " $name "; then
                echo "$name"
                return
            fi
        done
        sleep 0.1
    done
    fail "no import started staging"
}

# start_proxy FAULT UPSTREAM-URL [ARGS...]: a fault-injecting proxy; sets PROXY=127.0.0.1:PORT
# and PROXY_LOG.
start_proxy() {
    fault=$1
    upstream=$2
    shift 2
    PROXY_LOG=$t/proxy-$fault.log
    python3 "$AIRLOCK_SOURCE/tests/fixtures/fault_proxy.py" --upstream "$upstream" --fault "$fault" \
        --port-file "$t/proxy-$fault.port" --log "$PROXY_LOG" "$@" &
    background_pids="$background_pids $!"
    wait_file "$t/proxy-$fault.port"
    PROXY=127.0.0.1:$(cat "$t/proxy-$fault.port")
}

# push OCI-REF DEST [SKOPEO ARGS...]: pushes a test image into the running registry.
push() {
    src=$1
    dest=$2
    shift 2
    skopeo copy -q "$@" "oci:$images/$src" "docker://$REGISTRY/$dest"
}

# Digest of a manifest as the registry serves it (skopeo inspect --raw hashes the bytes).
registry_digest() {
    echo "sha256:$(skopeo inspect --raw "$@" | sha256sum | cut -d' ' -f1)"
}

# log_has FILE JQ-ARGS... FILTER: true when some JSON line of FILE passes the jq FILTER
# (`jq -e` of jq 1.6 misreports matches inside a stream, so look at the output instead).
log_has() {
    file=$1
    shift
    [ -n "$(jq -c "$@" "$file")" ]
}

# start_service docker|containerd NAME: a private engine (scripts/services) in $t/NAME; sources
# its env (DOCKER_SOCK / CONTAINERD_SOCK). A service that cannot start fails the test, with why.
start_service() {
    services="${services:-} $t/$2"
    "$AIRLOCK_SOURCE/scripts/services" start "$1" "$t/$2" || fail "$1 could not start (see above)"
    . "$t/$2/env"
}

# use_podman NAME: podman (containers-storage, vfs) with its storage in $t/NAME, for this test
# and the airlock it runs (the environment carries the configuration).
use_podman() {
    command -v podman > /dev/null || skip "podman is not installed"
    mkdir -p "$t/$1/tmp"
    printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/root"\nrunroot = "%s/run"\n' "$t/$1" "$t/$1" > "$t/$1/storage.conf"
    printf '[engine]\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\n' > "$t/$1/containers.conf"
    export CONTAINERS_STORAGE_CONF="$t/$1/storage.conf" CONTAINERS_CONF="$t/$1/containers.conf" TMPDIR="$t/$1/tmp"
}

# command_paths: every command and subcommand that `airlock help` lists, one a line ("key",
# "key generate", "pack", ...).
command_paths() {
    # shellcheck disable=SC2086
    airlock help ${1:-} | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' |
        while read -r sub; do
            echo "${1:+$1 }$sub"
            command_paths "${1:+$1 }$sub"
        done
}

# help_option_names [WORDS...]: every option name that `airlock help WORDS` lists, the options
# of every command in its footer included, one a line ("-o", "--output", ...).
help_option_names() {
    airlock help "$@" | grep -E '^  -' | awk '{ print $1 }' | tr ',' '\n' | grep -E '^-'
}

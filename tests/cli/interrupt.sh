# Ctrl-C in the middle of an import: exit 130, no staging or temp files, store unchanged.
# The bundle is fed through a FIFO so the interrupt lands mid-stream every time.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o s.bundle --sign-key k.key --compression none -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o v2.bundle --sign-key k.key -q > /dev/null
airlock import v2.bundle --to oci:store --trusted-key k.pub -q > /dev/null
snapshot=$(tree_digest store)

size=$(stat -c %s s.bundle)

# start_half_fed FIFO: imports s.bundle from FIFO (pid in $pid), fed its first half through fd 3,
# which stays open; returns once the import is mid-stream (it has staged something).
start_half_fed() {
    rm -f "$1"
    mkfifo "$1"
    "$AIRLOCK" import "$1" --to oci:store --trusted-key k.pub > out.txt 2> err.txt &
    pid=$!
    exec 3> "$1"
    head -c $((size / 2)) s.bundle >&3
    for _ in $(seq 1 100); do
        if [ -n "$(ls store/.airlock 2> /dev/null | grep staging || true)" ]; then
            return
        fi
        sleep 0.1
    done
    fail "import never started staging"
}

start_half_fed pipe
kill -INT "$pid"
tail -c +$((size / 2 + 1)) s.bundle >&3 || true
exec 3>&-
set +e
wait "$pid"
code=$?
set -e
assert_eq "$code" 130 "exit code after SIGINT"
grep -q "interrupted" err.txt || fail "no 'interrupted' message: $(cat err.txt)"
assert_eq "$(tree_digest store)" "$snapshot" "store after an interrupted import"
test -z "$(ls store/.airlock | grep -v -e '^lock$' -e '^imports.json$' || true)" || fail "staging left behind after SIGINT"
test -z "$(find store -name '*.tmp-*')" || fail "temporary files left behind"

step "the same import run again completes"
airlock import s.bundle --to oci:store --trusted-key k.pub -q > /dev/null
skopeo inspect --raw oci:store:localhost/sample:1.0 > /dev/null

# stop_within_a_second SIGNAL PID: sends SIGNAL and requires PID to exit 130 within a second.
stop_within_a_second() {
    start=$(date +%s%N)
    kill -"$1" "$2"
    set +e
    wait "$2"
    code=$?
    set -e
    elapsed=$((($(date +%s%N) - start) / 1000000))
    echo "exit $code ${elapsed} ms after SIG$1"
    assert_eq "$code" 130 "exit code after SIG$1"
    test "$elapsed" -le 1000 || fail "SIG$1 took ${elapsed} ms to end the wait"
}

# hold_lock: holds the store's lock from a background process ($holder) until it is killed;
# returns once it is held.
hold_lock() {
    flock -o store/.airlock/lock sleep 30 > /dev/null 2>&1 &
    holder=$!
    background_pids="$background_pids $holder"
    for _ in $(seq 1 100); do
        flock -n store/.airlock/lock true 2> /dev/null || return 0
        sleep 0.1
    done
    fail "the store's lock was never held"
}

airlock pack "oci:$images/sample:2.0" -o new.bundle --sign-key k.key -q > /dev/null
# Wine keeps Windows' file locks to itself: flock(1) cannot hold the store's lock for airlock.exe
# (the lock itself is tested by cli/concurrent under Wine too).
[ -n "$airlock_windows" ] && lock_signals="" || lock_signals="INT TERM"
for signal in $lock_signals; do
    step "SIG$signal while waiting for the store lock: exit 130 at once, nothing imported"
    snapshot=$(tree_digest store)
    hold_lock
    # The shell truncates err.txt only once the child runs: a stale message would send the
    # signal before airlock's handlers exist.
    rm -f err.txt
    "$AIRLOCK" import new.bundle --to oci:store --trusted-key k.pub > out.txt 2> err.txt &
    pid=$!
    for _ in $(seq 1 100); do
        if grep -q "waiting for another import into oci:store" err.txt 2> /dev/null; then
            break
        fi
        sleep 0.1
    done
    grep -q "waiting for another import into oci:store to finish" err.txt || fail "no waiting message: $(cat err.txt)"
    stop_within_a_second "$signal" "$pid"
    kill "$holder"
    wait "$holder" || true
    assert_eq "$(tree_digest store)" "$snapshot" "store after SIG$signal during the lock wait"
    assert_eq "$(ls store/.airlock | grep -v '^imports.json$')" "lock" "what stays in .airlock"
done

# rm, prune, fsck and export wait for the store's lock like an import, and end that wait at once.
for verb in "rm localhost/sample:2.0" "prune --keep 0" "fsck" "export localhost/sample:2.0 -o x.tar"; do
    [ -n "$lock_signals" ] || break
    step "SIGINT while $verb waits for the store lock: exit 130 at once, the store unchanged"
    snapshot=$(tree_digest store)
    hold_lock
    rm -f err.txt # as above
    # shellcheck disable=SC2086
    "$AIRLOCK" $verb --store oci:store > out.txt 2> err.txt &
    pid=$!
    for _ in $(seq 1 100); do
        if grep -q "waiting for" err.txt 2> /dev/null; then
            break
        fi
        sleep 0.1
    done
    grep -q "waiting for" err.txt || fail "$verb: no waiting message: $(cat err.txt)"
    stop_within_a_second INT "$pid"
    kill "$holder"
    wait "$holder" || true
    assert_eq "$(tree_digest store)" "$snapshot" "store after SIGINT during $verb's lock wait"
    [ ! -e x.tar ] || fail "export left x.tar"
done

# fsck and export in the middle of a large blob: a store made by hand with one 768 MiB layer.
if [ -z "$airlock_windows" ]; then
    mkdir -p big/blobs/sha256
    truncate -s 768M big/layer
    layer=$(sha256sum big/layer | cut -c1-64)
    mv big/layer "big/blobs/sha256/$layer"
    printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$layer" > big/config
    config=$(sha256sum big/config | cut -c1-64)
    mv big/config "big/blobs/sha256/$config"
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":805306368}]}' \
        "$config" "$(stat -c %s "big/blobs/sha256/$config")" "$layer" > big/manifest
    manifest=$(sha256sum big/manifest | cut -c1-64)
    printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"localhost/big:1"}}]}' \
        "$manifest" "$(stat -c %s big/manifest)" > big/index.json
    mv big/manifest "big/blobs/sha256/$manifest"
    echo '{"imageLayoutVersion":"1.0.0"}' > big/oci-layout
    mkdir big/.airlock
    for verb in "fsck" "export localhost/big:1 -o big.tar"; do
        step "SIGINT while $verb reads a large blob: exit 130 at once, nothing written"
        snapshot=$(tree_digest big)
        # shellcheck disable=SC2086
        "$AIRLOCK" $verb --store oci:big > out.txt 2> err.txt &
        pid=$!
        sleep 0.5
        kill -0 "$pid" 2> /dev/null || fail "$verb finished before the signal: $(cat out.txt err.txt)"
        stop_within_a_second INT "$pid"
        assert_eq "$(tree_digest big)" "$snapshot" "store after SIGINT during $verb"
        [ -z "$(ls big.tar* 2> /dev/null)" ] || fail "export left $(ls big.tar*)"
    done
fi

# Wine presents a FIFO to airlock.exe as a disk file, whose reads Windows does not let a program
# wait on: the stalled source cannot be made there (on Windows a bundle is read from a file or a
# pipe, and pipes are polled).
[ -n "$airlock_windows" ] && stall_signals="" || stall_signals="INT TERM"
for signal in $stall_signals; do
    step "SIG$signal while the bundle stalls mid-stream: exit 130 at once, nothing imported"
    snapshot=$(tree_digest store)
    start_half_fed stall
    sleep 0.3
    stop_within_a_second "$signal" "$pid"
    exec 3>&-
    assert_eq "$(tree_digest store)" "$snapshot" "store after SIG$signal during a stalled read"
    assert_eq "$(ls store/.airlock | grep -v '^imports.json$')" "lock" "what stays in .airlock"
done

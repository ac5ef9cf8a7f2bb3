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

airlock pack "oci:$images/sample:2.0" -o new.bundle --sign-key k.key -q > /dev/null
# Wine keeps Windows' file locks to itself: flock(1) cannot hold the store's lock for airlock.exe
# (the lock itself is tested by cli/concurrent under Wine too).
[ -n "$airlock_windows" ] && lock_signals="" || lock_signals="INT TERM"
for signal in $lock_signals; do
    step "SIG$signal while waiting for the store lock: exit 130 at once, nothing imported"
    snapshot=$(tree_digest store)
    flock -o store/.airlock/lock sleep 30 > /dev/null 2>&1 &
    holder=$!
    background_pids="$background_pids $holder"
    sleep 0.3
    "$AIRLOCK" import new.bundle --to oci:store --trusted-key k.pub > out.txt 2> err.txt &
    pid=$!
    for _ in $(seq 1 100); do
        if grep -q "waiting for another import into oci:store" err.txt; then
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

# scripts/deps/build's cache: a complete prefix is used as it is, and the temporary directories a
# killed build left are removed by the next run, unless a build holds the lock.
. "$(dirname "$0")/common.sh"

deps=$AIRLOCK_SOURCE/scripts/deps
export AIRLOCK_DEPS_CACHE=$t/cache
prefix=$("$deps/build" --print-prefix)
case "$prefix" in
"$t/cache/"*-linux-x86_64) ;;
*) fail "the prefix is not <hash>-<target> in the cache: $prefix" ;;
esac
hash=$(basename "$prefix")
mkdir -p "$t/cache/$hash" "$t/cache/.tmp-killed/prefix"
touch "$t/cache/$hash/.airlock-deps-complete"

step "a build holds the lock: its temporary directory stays"
# The process that holds the lock is the one killed below (exec: no child keeps the descriptor).
(
    exec 8> "$t/cache/.lock"
    flock 8
    exec sleep 30
) &
locker=$!
background_pids="$background_pids $locker"
sleep 0.5
assert_eq "$(timeout 20 "$deps/build")" "$t/cache/$hash" "the complete prefix (a build would mean the hash is computed differently here)"
[ -d "$t/cache/.tmp-killed" ] || fail "a running build's directory was removed"
kill "$locker"
wait "$locker" 2> /dev/null || true

step "no build runs: the leftover goes"
assert_eq "$(timeout 20 "$deps/build")" "$t/cache/$hash" "the complete prefix (a build would mean the hash is computed differently here)"
[ ! -e "$t/cache/.tmp-killed" ] || fail "the killed build's directory is still there"

# import --to podman: podman's storage (vfs, a root of the test's own) gets every tag with the
# bundle's manifest digests, latest never goes back, a re-import changes nothing, a dry run and a
# tampered bundle load nothing; and what podman holds packs again (podman: source).
. "$(dirname "$0")/common.sh"
skip_on_windows "podman runs on Linux"
use_podman podman

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o b.bundle --sign-key k.key -q > /dev/null
listing() { podman images --digests --format '{{.Repository}}:{{.Tag}} {{.Digest}}' | sort | tr '\n' ' '; }
digest_of() { airlock inspect "$1" --json | jq -r '.images[0].digest'; }

step "a dry run loads nothing"
airlock import b.bundle --to podman --trusted-key k.pub --dry-run -q > /dev/null
assert_eq "$(listing)" "" "podman images after a dry run"

step "import: every tag, the bundle's digests"
airlock import b.bundle --to podman --trusted-key k.pub --json > b.json
check_json import b.json
b=$(digest_of b.bundle)
assert_eq "$(listing)" "localhost/sample:2.0 $b localhost/sample:2.0.0 $b localhost/sample:latest $b "

step "an older bundle: its tags, and latest stays"
airlock import a.bundle --to podman --trusted-key k.pub > a.txt 2> a.err
grep -q "latest  kept" a.txt || fail "latest moved back: $(cat a.txt)"
a=$(digest_of a.bundle)
assert_eq "$(listing)" "localhost/sample:1.0 $a localhost/sample:1.0.3 $a localhost/sample:2.0 $b localhost/sample:2.0.0 $b localhost/sample:latest $b "

step "a re-import changes nothing"
airlock import b.bundle --to podman --trusted-key k.pub > again.txt
test "$(grep -c '  unchanged' again.txt)" = 3 || fail "re-import: $(cat again.txt)"

step "a tampered bundle loads nothing"
before=$(listing)
airlock pack "oci:$images/docker:1.0" -o plain.bundle --sign-key k.key --compression none -q > /dev/null
$tamper plain.bundle flipped.bundle flip-layer
expect_fail 4 "does not match its digest" airlock import flipped.bundle --to podman --trusted-key k.pub
assert_eq "$(listing)" "$before" "podman images after a tampered import"
test -z "$(ls "$XDG_CACHE_HOME/airlock/podman-import" 2> /dev/null)" || fail "staging stayed: $(ls "$XDG_CACHE_HOME/airlock/podman-import")"

step "what podman holds packs again (podman: source)"
airlock pack podman:localhost/sample:latest -o back.bundle --sign-key k.key -q > /dev/null
assert_eq "$(airlock inspect back.bundle --json | jq -r '.images[0].name')" localhost/sample
podman system reset -f > /dev/null 2>&1 || true

step "images load one at a time, or --jobs at a time (a shim in front of the real podman records the loads)"
real_podman=$(command -v podman)
mkdir -p shim
{
    echo '#!/bin/sh'
    echo "[ \"\$1\" = load ] || exec $real_podman \"\$@\""
    echo "echo \"\$(date +%s.%N) 1\" >> $t/loads"
    echo "$real_podman \"\$@\""
    echo 'rc=$?'
    echo 'sleep 1'
    echo "echo \"\$(date +%s.%N) -1\" >> $t/loads"
    echo 'exit $rc'
} > shim/podman
chmod +x shim/podman
airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" -o two.bundle --sign-key k.key -q > /dev/null
# most_at_once: the most loads that ran at the same time.
most_at_once() { sort -n "$t/loads" | awk '{ n += $2; if (n > most) most = n } END { print most }'; }
# Without --jobs, one at a time: containers-storage races between concurrent layer writers.
for jobs in default 4; do
    use_podman "podman-jobs$jobs"
    rm -f "$t/loads"
    # shellcheck disable=SC2046
    PATH="$t/shim:$PATH" airlock import two.bundle --to podman --trusted-key k.pub \
        $([ "$jobs" = default ] || echo "--jobs $jobs") -q > /dev/null
    assert_eq "$(listing)" "localhost/sample:1.0 $a localhost/sample:1.0.3 $a localhost/sample:2.0 $b localhost/sample:2.0.0 $b localhost/sample:latest $b " \
        "podman images after an import with --jobs $jobs"
    assert_eq "$(grep -c ' 1$' "$t/loads")" 2 "podman loads with --jobs $jobs"
    assert_eq "$(most_at_once)" "$([ "$jobs" = default ] && echo 1 || echo 2)" "podman loads at once with --jobs $jobs"
    podman system reset -f > /dev/null 2>&1 || true
done

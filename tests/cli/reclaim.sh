# What killed runs leave is reclaimed by the next run, and only that: a live import's staging
# and a live pack's temporary file are never touched.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o s.bundle --sign-key k.key --compression none -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o v2.bundle --sign-key k.key --compression none -q > /dev/null
size=$(stat -c %s s.bundle)

step "a killed import's staging goes with the next import; a live one's stays"
mkfifo live.fifo dead.fifo
"$AIRLOCK" import live.fifo --to oci:store --trusted-key k.pub > live.out 2> live.err &
live=$!
exec 3> live.fifo
head -c $((size / 2)) s.bundle >&3
live_staging=$(new_staging)
"$AIRLOCK" import dead.fifo --to oci:store --trusted-key k.pub > /dev/null 2>&1 &
dead=$!
exec 4> dead.fifo
head -c $((size / 2)) s.bundle >&4
dead_staging=$(new_staging "$live_staging")
kill -KILL "$dead"
wait "$dead" || true
exec 4>&-
test -d "store/.airlock/$dead_staging" || fail "kill -9 left no staging to reclaim"

airlock import v2.bundle --to oci:store --trusted-key k.pub > v2.out 2> v2.err
cat v2.err
grep -q "reclaimed .* that interrupted runs left in oci:store (1 temporary file or directory)" v2.err ||
    fail "the next import did not say what it reclaimed"
test ! -e "store/.airlock/$dead_staging" || fail "a killed import's staging is still there"
test -d "store/.airlock/$live_staging" || fail "a live import's staging was removed"

tail -c +$((size / 2 + 1)) s.bundle >&3
exec 3>&-
wait "$live" || fail "the live import failed after another import reclaimed space: $(cat live.err)"
assert_eq "$(ls store/.airlock | grep -v '^imports.json$')" "lock" "what stays in .airlock"
skopeo inspect --raw oci:store:localhost/sample:1.0 > /dev/null
skopeo inspect --raw oci:store:localhost/sample:2.0 > /dev/null

step "a temporary index.json that a killed import left goes with the next import, and only that"
head -c 1000 /dev/urandom > store/.index.json.tmp-abcdefghij
echo "the user's" > store/.bashrc.old-2023backup
airlock import s.bundle --to oci:store --trusted-key k.pub 2> again.err > /dev/null
grep -q "reclaimed 1000 B" again.err || fail "no reclaim reported: $(cat again.err)"
test ! -e store/.index.json.tmp-abcdefghij || fail "the temporary index.json stayed"
test -e store/.bashrc.old-2023backup || fail "a file of the user's in the store directory was removed"
rm store/.bashrc.old-2023backup

step "a killed pack's temporary bundle goes with the next pack to that path; a live one's stays"
# A killed pack leaves its temporary file unlocked; a running one holds its lock (here flock(1)).
head -c 100000 /dev/urandom > .x.bundle.tmp-deaddeadde
head -c 100 /dev/urandom > .x.bundle.001.tmp-deaddeadde
# Not this bundle's: another bundle's moved-aside part, a directory of the user's.
head -c 100 /dev/urandom > .x.bundle.v2.001.old-abcdefghij
mkdir -p .x.bundle.photos.old-2024backup/sub
# Wine keeps Windows' file locks to itself: flock(1) cannot stand in for a live airlock.exe.
if [ -z "$airlock_windows" ]; then
    head -c 100 /dev/urandom > .x.bundle.tmp-livelivel1
    flock -o .x.bundle.tmp-livelivel1 sleep 30 > /dev/null 2>&1 &
    holder=$!
    background_pids="$background_pids $holder"
    for _ in $(seq 1 50); do
        if ! flock -n .x.bundle.tmp-livelivel1 true; then
            break
        fi
        sleep 0.1
    done
fi
airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key k.key > pack.out 2> pack.err
grep -q "reclaimed 97.8 KiB that interrupted runs left in . (2 temporary files and directories)" pack.err ||
    fail "the pack did not say what it reclaimed: $(cat pack.err)"
test ! -e .x.bundle.tmp-deaddeadde || fail "a killed pack's temporary file stayed"
test ! -e .x.bundle.001.tmp-deaddeadde || fail "a killed split pack's temporary part stayed"
[ -n "$airlock_windows" ] || test -e .x.bundle.tmp-livelivel1 || fail "a live pack's temporary file was removed"
test -e .x.bundle.v2.001.old-abcdefghij || fail "a pack of x.bundle removed a file of x.bundle.v2"
test -d .x.bundle.photos.old-2024backup/sub || fail "a pack removed a directory of the user's"
[ -n "$airlock_windows" ] || kill "$holder"
airlock verify x.bundle --trusted-key k.pub > /dev/null

step "a killed pack's unpacked archive goes with the next pack of an archive"
if [ -z "$airlock_windows" ]; then
    mkdir big
    head -c 300M /dev/zero > big/layer.tar
    printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$(sha256sum big/layer.tar | cut -c1-64)" > big/config.json
    printf '[{"Config":"config.json","RepoTags":["big:1"],"Layers":["layer.tar"]}]' > big/manifest.json
    tar -C big -cf big.tar manifest.json config.json layer.tar
    rm -r big
    "$AIRLOCK" pack docker-archive:big.tar -o big.bundle --sign-key k.key > /dev/null 2>&1 &
    dead=$!
    archives=${XDG_CACHE_HOME:-$HOME/.cache}/airlock/archives
    dead_dir=
    for _ in $(seq 1 200); do
        for dir in "$archives"/archive-*; do
            [ -d "$dir" ] && dead_dir=$dir
        done
        [ -n "$dead_dir" ] && break
        sleep 0.02
    done
    [ -n "$dead_dir" ] || fail "the pack never unpacked the archive"
    kill -KILL "$dead"
    wait "$dead" || true
    test -d "$dead_dir" || fail "kill -9 left no unpacked archive to reclaim"
    skopeo copy -q "oci:$images/sample:1.0" docker-archive:small.tar:localhost/small:1
    airlock pack docker-archive:small.tar -o small.bundle --sign-key k.key -q > /dev/null
    test ! -e "$dead_dir" || fail "the next pack left the killed pack's $dead_dir"
    test -z "$(ls "$archives")" || fail "unpacked archives stayed: $(ls "$archives")"
fi

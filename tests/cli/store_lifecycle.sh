# A store lived in for years: rm untags, prune applies retention and collects the blobs no tag
# reaches (never latest's or a protected version, never what a running import found there),
# fsck re-hashes everything and --repair leaves what a re-import restores. Real skopeo reads
# the store after each change.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o b.bundle --sign-key k.key -q > /dev/null
airlock import a.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock import b.bundle --to oci:site --trusted-key k.pub -q > /dev/null
blob_count() { find site/blobs/sha256 -type f | wc -l; }
tags() { airlock images --store oci:site --json | jq -r '[.images[] | .name + ":" + .tags[]] | sort | join(" ")'; }
assert_eq "$(tags)" "localhost/sample:1.0 localhost/sample:1.0.3 localhost/sample:2.0 localhost/sample:2.0.0 localhost/sample:latest"
blobs=$(blob_count)

step "rm untags, all or nothing; the blobs stay"
expect_fail 2 "'localhost/sample' names no tag" airlock rm localhost/sample --store oci:site
before=$(tree_digest site)
expect_fail 1 "no image localhost/sample:9.9 in oci:site.*nothing was removed" \
    airlock rm localhost/sample:1.0 localhost/sample:9.9 --store oci:site
assert_eq "$(tree_digest site)" "$before" "the store after a refused rm"
airlock rm localhost/sample:1.0 --store oci:site --json > rm.json
check_json rm rm.json
assert_eq "$(jq -r '.removed[0].tag' rm.json)" 1.0
assert_eq "$(tags)" "localhost/sample:1.0.3 localhost/sample:2.0 localhost/sample:2.0.0 localhost/sample:latest"
assert_eq "$(blob_count)" "$blobs" "blobs after rm"
skopeo inspect oci:site:localhost/sample:1.0 > /dev/null 2>&1 && fail "skopeo still finds the removed tag"
skopeo inspect oci:site:localhost/sample:1.0.3 > /dev/null

step "prune without retention: a blob another tag still uses stays"
airlock prune --store oci:site > prune0.txt
grep -q "removed 0 blob(s)" prune0.txt || fail "prune: $(cat prune0.txt)"

step "retention: --protect and latest are kept; --dry-run changes nothing"
expect_fail 1 "--protect localhost/sample:7: no such tag" airlock prune --keep 1 --protect localhost/sample:7 --store oci:site
airlock prune --keep 1 --protect localhost/sample:1.0.3 --store oci:site -q
assert_eq "$(blob_count)" "$blobs" "blobs after a prune that protects 1.0.3"
before=$(tree_digest site)
airlock prune --keep 0 --dry-run --store oci:site --json > dry.json
check_json prune dry.json
jq -e '.dryRun and (.untagged | map(.tag) | sort) == ["1.0.3"] and (.blobs | length) == 3' dry.json > /dev/null ||
    fail "keep 0 must keep latest's version only: $(cat dry.json)"
assert_eq "$(tree_digest site)" "$before" "the store after prune --dry-run"
# 1.0 was created 2026-09-01: not older than 100000 days.
airlock prune --older-than 100000d --store oci:site -q
assert_eq "$(tree_digest site)" "$before" "the store after a prune of nothing that old"
expect_fail 2 "--older-than soon: expected a duration" airlock prune --older-than soon --store oci:site
airlock prune --keep 1 --store oci:site --json > prune.json
check_json prune prune.json
jq -e '(.untagged | length) == 1 and (.blobs | length) == 3 and .bytesReclaimed > 0' prune.json > /dev/null ||
    fail "prune --keep 1: $(cat prune.json)"
assert_eq "$(tags)" "localhost/sample:2.0 localhost/sample:2.0.0 localhost/sample:latest"
assert_eq "$(blob_count)" $((blobs - 3)) "blobs after prune"
skopeo copy -q oci:site:localhost/sample:latest oci:copy:latest
airlock fsck --store oci:site > fsck.txt
grep -q "every tag is whole" fsck.txt || fail "fsck after prune: $(cat fsck.txt)"

step "fsck finds corrupt and missing blobs, orphans and strays; --repair and a re-import heal"
layer=$(jq -r '.layers[0].digest' "site/blobs/sha256/$(jq -r '.manifests[0].digest' site/index.json | cut -d: -f2)" | cut -d: -f2)
chmod u+w "site/blobs/sha256/$layer"
damage_byte "site/blobs/sha256/$layer" 100
orphan=$(printf orphan | sha256sum | cut -c1-64)
printf orphan > "site/blobs/sha256/$orphan"
echo note > site/blobs/sha256/notes.txt
expect_fail 4 "corrupt blob sha256:$layer .*breaks localhost/sample:2.0, localhost/sample:2.0.0, localhost/sample:latest" \
    airlock fsck --store oci:site
grep -q "orphan blob sha256:$orphan" out || fail "fsck did not list the orphan: $(cat out)"
grep -q "stray blobs/sha256/notes.txt" out || fail "fsck did not list the stray file: $(cat out)"
set +e
airlock fsck --store oci:site --repair --json > repair.json
got=$?
set -e
assert_eq "$got" 4 "fsck --repair exit code while tags stay broken"
check_json fsck repair.json
jq -e '.repaired and .broken[0].removed and .broken[0].problem == "corrupt"' repair.json > /dev/null || fail "repair: $(cat repair.json)"
test ! -e "site/blobs/sha256/$layer" || fail "--repair left the corrupt blob"
test ! -e "site/blobs/sha256/$orphan" || fail "--repair left the orphan"
test -e site/blobs/sha256/notes.txt || fail "--repair removed a file that is not a blob"
expect_fail 4 "missing blob sha256:$layer" airlock fsck --store oci:site
airlock import b.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock fsck --store oci:site --json > whole.json
jq -e '.ok and .exitCode == 0 and (.broken | length) == 0' whole.json > /dev/null || fail "fsck after a re-import: $(cat whole.json)"
skopeo copy -q oci:site:localhost/sample:2.0 oci:copy2:x
# Without its manifest, an image's layers look orphaned: --repair must not take them.
manifest=$(jq -r '.manifests[0].digest' site/index.json | cut -d: -f2)
rm "site/blobs/sha256/$manifest"
set +e
airlock fsck --store oci:site --repair --json > lost.json
set -e
jq -e '.orphansKept and (.broken[0].problem == "missing") and (.orphans | length) > 0' lost.json > /dev/null ||
    fail "fsck of a store without a manifest: $(cat lost.json)"
test -e "site/blobs/sha256/$layer" || fail "--repair removed a layer whose manifest is missing"
airlock import b.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock fsck --store oci:site -q > /dev/null || fail "fsck after restoring the manifest"

step "a layout another tool made (no .airlock/ yet) is checked, pruned and exported"
skopeo copy -q "oci:$images/sample:1.0" oci:plain:localhost/sample:1.0
airlock fsck --store oci:plain -q
airlock prune --store oci:plain --keep 1 -q
airlock export localhost/sample:1.0 -o plain.tar --store oci:plain -q
airlock rm localhost/sample:1.0 --store oci:plain -q

step "a damaged or strange store: nothing is collected or exported on a guess"
cp -a site s1
rm s1/index.json
expect_fail 4 "oci:s1 has no index.json" airlock prune --store oci:s1
ln -s /nonexistent/index.json s1/index.json
expect_fail 4 "oci:s1 has no index.json" airlock fsck --repair --store oci:s1
assert_eq "$(find s1/blobs -type f | wc -l)" "$(find site/blobs -type f | wc -l)" "blobs after refused runs"
cp -a site s2
manifest=$(jq -r '.manifests[0].digest' s2/index.json | cut -d: -f2)
chmod u+w "s2/blobs/sha256/$manifest"
jq -c '.layers = []' "site/blobs/sha256/$manifest" > "s2/blobs/sha256/$manifest"
expect_fail 4 "blob sha256:$manifest does not match its digest" airlock export localhost/sample:2.0 -o s2.tar --store oci:s2
expect_fail 4 "cannot read sha256:$manifest" airlock prune --store oci:s2
cp -a site s3
jq '.manifests += [{"mediaType": "application/vnd.oci.artifact.manifest.v1+json", "digest": .manifests[0].digest, "size": .manifests[0].size,
    "annotations": {"org.opencontainers.image.ref.name": "localhost/sbom:1"}}]' site/index.json > s3/index.json
expect_fail 4 "whose blobs airlock cannot tell" airlock prune --store oci:s3
digest=$(jq -r '.manifests[0].digest' site/index.json)
cp -a site s4
airlock rm "localhost/sample:2.0@$digest" --store oci:s4 -q
assert_eq "$(airlock images --store oci:s4 --json | jq -r '[.images[].tags[]] | sort | join(" ")')" "2.0.0 latest" "tags after rm REPO:TAG@DIGEST"

step "a prune while an import streams takes no blob the import found in the store"
airlock rm localhost/sample --all-tags --store oci:site -q
size=$(stat -c %s b.bundle)
mkfifo b.fifo
airlock import b.fifo --to oci:site --trusted-key k.pub --json > concurrent.json 2> concurrent.err &
importer=$!
exec 3> b.fifo
head -c $((size - 1024)) b.bundle >&3
STAGING_STORE=site new_staging > /dev/null
# Every blob is unreachable now: the prune takes them all from blobs/.
sleep 0.5
airlock prune --store oci:site --json > during.json
jq -e '(.blobs | length) >= 3' during.json > /dev/null || fail "the prune took no blob: $(cat during.json)"
tail -c 1024 b.bundle >&3
exec 3>&-
wait "$importer" || fail "the import failed: $(cat concurrent.err)"
airlock fsck --store oci:site > after.txt || fail "the import lost blobs to the prune: $(cat after.txt)"
skopeo copy -q oci:site:localhost/sample:latest oci:copy3:x

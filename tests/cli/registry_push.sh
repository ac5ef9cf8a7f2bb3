# import --to docker://: two bundles sharing a base layer pushed into different repositories
# (the shared blob is uploaded once: later runs mount it), chunked uploads, skopeo pulls back
# the same digests, idempotent re-import, `latest` and PREFIX mapping, a tampered bundle leaves
# no tag, and a registry failing a PUT midway gives a non-zero exit that a re-run completes.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" "oci:$images/multi:ltsc" --all-platforms -o b.bundle --sign-key k.key -q > /dev/null
base=$(airlock inspect a.bundle --json > a.json; zstd -dq < a.bundle | tar -xO "blobs/sha256/$(jq -r '.images[0].digest' a.json | cut -d: -f2)" | jq -r '.layers[0].digest')

start_registry token reg
access="--cert-dir $CERT_DIR --creds $REG_USER:$REG_PASS"
skopeo_access="--cert-dir $CERT_DIR/$REGISTRY --creds $REG_USER:$REG_PASS"

step "push two bundles sharing a base layer into different repositories"
# shellcheck disable=SC2086
airlock import a.bundle --to "docker://$REGISTRY/site-a" --trusted-key k.pub $access --json > push-a.json
# shellcheck disable=SC2086
airlock import b.bundle --to "docker://$REGISTRY/site-b" --trusted-key k.pub $access --chunk-size 64K --json > push-b.json
assert_eq "$(jq -r .store push-a.json)" "docker://$REGISTRY/site-a"
assert_eq "$(jq -r .blobsMounted push-b.json)" 1 "blobs mounted by the second import"
uploads=$(grep -c "\"PUT /v2/[^ ]*/blobs/uploads/[^ ]*digest=${base%%:*}%3A${base#*:}" "$REGISTRY_LOG" || true)
assert_eq "$uploads" 1 "uploads of the shared base layer $base"
grep -q "\"POST /v2/site-b/sample/blobs/uploads/?mount=${base}&from=site-a/sample" "$REGISTRY_LOG" ||
    fail "the shared layer was not mounted from site-a/sample"
grep -q '"PATCH /v2/site-b/' "$REGISTRY_LOG" || fail "--chunk-size 64K did not upload in chunks"

step "skopeo pulls back the bundle's manifest digests"
for pair in "site-a/sample:1.0 a.json 0" "site-a/sample:1.0.3 a.json 0" "site-a/sample:latest a.json 0"; do
    set -- $pair
    # shellcheck disable=SC2086
    assert_eq "$(registry_digest $skopeo_access "docker://$REGISTRY/$1")" "$(jq -r ".images[$3].digest" "$2")" "$1"
done
airlock inspect b.bundle --json > b.json
# shellcheck disable=SC2086
assert_eq "$(registry_digest $skopeo_access "docker://$REGISTRY/site-b/sample:2.0.0")" "$(jq -r '.images[0].digest' b.json)"
# shellcheck disable=SC2086
assert_eq "$(registry_digest $skopeo_access "docker://$REGISTRY/site-b/multi:ltsc")" "$(jq -r '.images[1].digest' b.json)"
# shellcheck disable=SC2086
skopeo copy -q --src-cert-dir "$CERT_DIR/$REGISTRY" --src-creds "$REG_USER:$REG_PASS" --all "docker://$REGISTRY/site-b/multi:ltsc" oci:pulled:multi
skopeo inspect --raw oci:pulled:multi | jq -e '.manifests | length == 4' > /dev/null

step "re-import changes nothing"
sleep 1 # the registry writes its access log after answering
puts=$(grep -c '"PUT ' "$REGISTRY_LOG")
# shellcheck disable=SC2086
airlock import b.bundle --to "docker://$REGISTRY/site-b" --trusted-key k.pub $access > again.txt
grep -q "nothing changed" again.txt || fail "re-import changed something: $(cat again.txt)"
sleep 1
assert_eq "$(grep -c '"PUT ' "$REGISTRY_LOG")" "$puts" "PUTs on re-import"

step "latest never moves back; --keep-registry-host"
# shellcheck disable=SC2086
airlock import a.bundle --to "docker://$REGISTRY/site-b" --trusted-key k.pub $access > older.txt 2> older.err
grep -q "latest stays at the newer version 2.0.0" older.err || fail "latest moved back"
# shellcheck disable=SC2086
assert_eq "$(registry_digest $skopeo_access "docker://$REGISTRY/site-b/sample:latest")" "$(jq -r '.images[0].digest' b.json)"
# shellcheck disable=SC2086
airlock import a.bundle --to "docker://$REGISTRY/mirror" --keep-registry-host --trusted-key k.pub $access -q > /dev/null
# shellcheck disable=SC2086
skopeo inspect $skopeo_access "docker://$REGISTRY/mirror/localhost/sample:1.0" > /dev/null

step "a tampered bundle leaves no new image"
airlock pack "oci:$images/sample:2.0" -o plain.bundle --sign-key k.key --compression none -q > /dev/null
$tamper plain.bundle flipped.bundle flip-layer
# shellcheck disable=SC2086
expect_fail 4 "does not match its digest" airlock import flipped.bundle --to "docker://$REGISTRY/tampered" --trusted-key k.pub $access
grep -q "no tag was changed" err || fail "the error does not say that no tag changed"
# shellcheck disable=SC2086
if skopeo inspect $skopeo_access "docker://$REGISTRY/tampered/sample:2.0" > /dev/null 2>&1; then
    fail "a tampered bundle created an image"
fi

step "a registry failing a PUT midway: non-zero exit, and a re-run completes"
start_registry plain reg-plain
start_proxy fail-put "http://$REGISTRY"
expect_fail 3 "registry answered 503" airlock import b.bundle --to "docker://$PROXY/flaky" --trusted-key k.pub --insecure-registry "$PROXY"
if skopeo inspect --tls-verify=false "docker://$PROXY/flaky/sample:2.0" > /dev/null 2>&1; then
    fail "a failed push left a tag"
fi
airlock import b.bundle --to "docker://$PROXY/flaky" --trusted-key k.pub --insecure-registry "$PROXY" -q > /dev/null
assert_eq "$(registry_digest --tls-verify=false "docker://$REGISTRY/flaky/sample:2.0")" "$(jq -r '.images[0].digest' b.json)"

step "a registry dying in the middle of an upload: that streamed body is not sent again"
start_proxy cut-put "http://$REGISTRY"
set +e
airlock import b.bundle --to "docker://$PROXY/cut" --trusted-key k.pub --insecure-registry "$PROXY" > out 2> err
code=$?
set -e
assert_eq "$code" 3 "exit code after a cut upload"
grep -q "closed while the request body was being sent" err || fail "the cut upload was not named as such"
if grep -q "BLOB_UPLOAD_INVALID" err; then
    fail "a cut upload was retried and reported as the registry's upload error"
fi
cut_path=$(jq -r 'select(.cut) | .cut' "$PROXY_LOG")
test -n "$cut_path" || fail "the proxy did not cut an upload"
sends=$(jq -r --arg p "$cut_path" 'select(.method == "PUT" or .method == "PATCH") | select(.path == $p) | .path' "$PROXY_LOG" | wc -l)
assert_eq "$sends" 1 "requests sending the cut upload's body"
airlock import b.bundle --to "docker://$PROXY/cut" --trusted-key k.pub --insecure-registry "$PROXY" -q > /dev/null
assert_eq "$(registry_digest --tls-verify=false "docker://$REGISTRY/cut/sample:2.0")" "$(jq -r '.images[0].digest' b.json)"

step "killed between two tag pushes: with --jobs 1 tags are set one by one, and a re-run sets the rest"
start_proxy stall-tag "http://$REGISTRY"
"$AIRLOCK" import b.bundle --to "docker://$PROXY/tags" --trusted-key k.pub --insecure-registry "$PROXY" --jobs 1 > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 200); do
    if grep -q '"stalled"' "$PROXY_LOG"; then
        break
    fi
    sleep 0.1
done
grep -q '"stalled"' "$PROXY_LOG" || fail "the import never reached its second tag"
kill -KILL "$pid"
wait "$pid" || true
tags_in() {
    out=$(skopeo list-tags --tls-verify=false "docker://$REGISTRY/tags/$1" 2> /dev/null) || {
        echo 0
        return
    }
    echo "$out" | jq '.Tags | length'
}
assert_eq "$(($(tags_in sample) + $(tags_in multi)))" 1 "tags in the registry after a kill between the first two"
airlock import b.bundle --to "docker://$PROXY/tags" --trusted-key k.pub --insecure-registry "$PROXY" -q > /dev/null
# b_tags_under PREFIX: every tag of b.bundle's two images (and latest) names its image under
# PREFIX in the plain registry.
b_tags_under() {
    for i in 0 1; do
        repo=$(jq -r ".images[$i].name" b.json | sed 's|.*/||')
        for tag in $(jq -r ".images[$i].tags[]" b.json) latest; do
            assert_eq "$(registry_digest --tls-verify=false "docker://$REGISTRY/$1/$repo:$tag")" "$(jq -r ".images[$i].digest" b.json)" "$1/$repo:$tag"
        done
    done
}
b_tags_under tags

step "a registry that will not list tags: each blob is asked about, each tag read, and the import completes"
start_proxy deny-tags "http://$REGISTRY"
airlock import b.bundle --to "docker://$PROXY/denied" --trusted-key k.pub --insecure-registry "$PROXY" \
    --json > denied.json 2> denied.err
assert_eq "$(jq -r .ok denied.json)" true
jq -r 'select(.method == "HEAD") | .path' "$PROXY_LOG" | grep -q '/blobs/sha256:' ||
    fail "no blob was asked about in repositories whose tags the registry would not list"
b_tags_under denied
airlock import b.bundle --to "docker://$PROXY/denied" --trusted-key k.pub --insecure-registry "$PROXY" > denied-again.txt 2>&1
grep -q "nothing changed" denied-again.txt || fail "re-import through the proxy changed something: $(cat denied-again.txt)"

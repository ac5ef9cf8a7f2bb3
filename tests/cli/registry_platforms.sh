# Platform selection from a multi-arch index (linux/amd64, linux/arm64, two windows/amd64 builds),
# --all-platforms keeping the published index, the warm cache (no blob GETs the second time),
# and a non-distributable layer fetched from its https URL.
. "$(dirname "$0")/common.sh"

make_key k
start_registry tls reg
tls="--cert-dir $CERT_DIR/$REGISTRY"
push multi:ltsc base/multi:ltsc --all --dest-cert-dir "$CERT_DIR/$REGISTRY"
# shellcheck disable=SC2086
skopeo inspect $tls --raw "docker://$REGISTRY/base/multi:ltsc" > index.json
child() { # OS ARCH [OS.VERSION]
    jq -r --arg os "$1" --arg arch "$2" --arg v "${3:-}" \
        '.manifests[] | select(.platform.os == $os and .platform.architecture == $arch and ($v == "" or .platform["os.version"] == $v)) | .digest' index.json
}

# selected PLATFORM-ARGS...: the digest the bundle's image points at
selected() {
    airlock pack "$REGISTRY/base/multi:ltsc" -o sel.bundle --sign-key k.key --cert-dir "$CERT_DIR" --cache cache "$@" \
        > sel.out 2> sel.err
    airlock inspect sel.bundle --json | jq -r '.images[0].digest'
}

step "platform selection table"
assert_eq "$(selected --platform linux/amd64)" "$(child linux amd64)" "linux/amd64"
assert_eq "$(selected --platform linux/arm64)" "$(child linux arm64)" "linux/arm64"
assert_eq "$(selected --platform linux/arm64/v8)" "$(child linux arm64)" "linux/arm64/v8"
assert_eq "$(selected --platform windows/amd64)" "$(child windows amd64 10.0.20348.2849)" "windows/amd64: highest build"
grep -q "the highest os.version of 2 matching" sel.err || fail "the choice was not explained: $(cat sel.err)"
assert_eq "$(selected --platform windows/amd64:10.0.17763)" "$(child windows amd64 10.0.17763.6532)" "windows 17763"
assert_eq "$(selected --platform windows/amd64:10.0.20348)" "$(child windows amd64 10.0.20348.2849)" "windows 20348"
grep -q "platform windows/amd64:10.0.20348 -> $(child windows amd64 10.0.20348.2849) (windows/amd64:10.0.20348.2849)" sel.err ||
    fail "the chosen manifest was not named"
assert_eq "$(selected)" "$(child linux amd64)" "default: the host platform"
assert_eq "$(selected --all-platforms)" "$(registry_digest $tls "docker://$REGISTRY/base/multi:ltsc")" "--all-platforms keeps the index"
two=$(selected --platform linux/amd64 --platform linux/arm64)
airlock inspect sel.bundle --json | jq -e '.images[0].platforms == ["linux/amd64", "linux/arm64"]' > /dev/null ||
    fail "two platforms did not make a two-platform index"
test "$two" != "$(child linux amd64)" || fail "two platforms gave a single manifest"
assert_eq "$(selected --platform linux/amd64 --platform windows/amd64:10.0.20348 > /dev/null; airlock inspect sel.bundle --json | jq -r '.images[0].version')" "" \
    "a Linux+Windows index has no single version"
airlock import sel.bundle --to oci:two --trusted-key k.pub -q > /dev/null
skopeo inspect --raw "oci:two:$REGISTRY/base/multi:ltsc" | jq -e '.manifests | length == 2' > /dev/null
expect_fail 1 "no image for platform linux/s390x \(available: linux/amd64, linux/arm64, windows/amd64:10.0.17763.6532" \
    airlock pack "$REGISTRY/base/multi:ltsc" -o x.bundle --sign-key k.key --cert-dir "$CERT_DIR" --platform linux/s390x
expect_fail 2 "--platform excludes --all-platforms" \
    airlock pack "$REGISTRY/base/multi:ltsc" -o x.bundle --sign-key k.key --platform linux/amd64 --all-platforms

step "a warm cache downloads no blob the second time"
rm -rf warm
airlock pack "$REGISTRY/base/multi:ltsc" --all-platforms -o w1.bundle --sign-key k.key --cert-dir "$CERT_DIR" --cache warm -q > /dev/null
before=$(grep -c 'GET /v2/base/multi/blobs/' "$REGISTRY_LOG")
test "$before" -gt 0 || fail "the first pack fetched no blob"
airlock pack "$REGISTRY/base/multi:ltsc" --all-platforms -o w2.bundle --sign-key k.key --cert-dir "$CERT_DIR" --cache warm -q > /dev/null
assert_eq "$(grep -c 'GET /v2/base/multi/blobs/' "$REGISTRY_LOG")" "$before" "blob GETs after the second pack"
cmp w1.bundle w2.bundle

step "--jobs 1 gives the same bundle"
airlock pack "$REGISTRY/base/multi:ltsc" --all-platforms -o j1.bundle --sign-key k.key --cert-dir "$CERT_DIR" --cache j1 --jobs 1 -q > /dev/null
cmp w1.bundle j1.bundle

step "a non-distributable layer comes from its https URL"
mkdir -p files
echo "licensed base layer" > readme.txt
tar -czf files/layer.tar.gz readme.txt
python3 "$AIRLOCK_SOURCE/tests/fixtures/https_files.py" --dir files --cert "$t/reg/server.crt" --key "$t/reg/server.key" \
    --port-file files.port --log files.log &
background_pids="$background_pids $!"
wait_file files.port
fport=$(cat files.port)
mkdir -p "$CERT_DIR/127.0.0.1:$fport"
cp "$CA" "$CERT_DIR/127.0.0.1:$fport/ca.crt"
cp -r "$images/sample" foreign-layout
chmod -R u+w foreign-layout
python3 "$AIRLOCK_SOURCE/tests/fixtures/fixture_json.py" foreign foreign-layout 1.0 files/layer.tar.gz "https://127.0.0.1:$fport/layer.tar.gz"
skopeo copy -q --dest-cert-dir "$CERT_DIR/$REGISTRY" oci:foreign-layout:foreign "docker://$REGISTRY/win/foreign:1"
foreign=$(skopeo inspect --cert-dir "$CERT_DIR/$REGISTRY" --raw "docker://$REGISTRY/win/foreign:1" | jq -r '.layers[-1].digest')
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA" "https://$REGISTRY/v2/win/foreign/blobs/$foreign")" 404 \
    "the registry must not hold the foreign layer"
airlock pack "$REGISTRY/win/foreign:1" -o foreign.bundle --sign-key k.key --cert-dir "$CERT_DIR" --cache fc > f.out 2> f.err
grep -q "fetching foreign layer $foreign from 127.0.0.1:$fport" f.err || fail "the foreign host was not shown"
log_has files.log 'select(.path == "/layer.tar.gz")' || fail "the URL was not used"
airlock verify foreign.bundle --trusted-key k.pub -q > /dev/null
zstd -dq < foreign.bundle | tar -t | grep -q "blobs/sha256/${foreign#sha256:}" || fail "the foreign layer is not in the bundle"
airlock import foreign.bundle --to oci:fstore --trusted-key k.pub -q > /dev/null
test -f "fstore/blobs/sha256/${foreign#sha256:}" || fail "the foreign layer was not imported"

# pack -> verify -> inspect -> import -> skopeo/umoci read the store; idempotent re-import;
# byte-identical re-pack; the bundle is a plain OCI layout for tools without airlock.
. "$(dirname "$0")/common.sh"

make_key ed
make_key ec ecdsa-p256
sources="oci:$images/sample:1.0 oci:$images/sample:2.0 oci:$images/multi:ltsc oci:$images/docker:1.0"

step "pack, signed by both key types"
# shellcheck disable=SC2086
airlock pack $sources -o b.bundle --sign-key ed.key --sign-key ec.key --all-platforms --json > pack.json
assert_eq "$(jq -r .ok pack.json)" true
assert_eq "$(jq '.images | length' pack.json)" 4
assert_eq "$(jq '.signers | length' pack.json)" 2

step "verify with either key"
airlock verify b.bundle --trusted-key ed.pub
airlock verify b.bundle --trusted-key ec.pub --json > verify.json
assert_eq "$(jq -r .ok verify.json)" true
assert_eq "$(jq -r '.problems | length' verify.json)" 0

step "inspect"
airlock inspect b.bundle > inspect.txt
grep -q "localhost/sample" inspect.txt || fail "inspect does not list the sample image"
airlock inspect b.bundle --json > inspect.json
assert_eq "$(jq -r '.images[0].tags | join(",")' inspect.json)" "1.0,1.0.3"
assert_eq "$(jq -r '.images[1].version' inspect.json)" "2.0.0"
assert_eq "$(jq -r '.images[2].platforms | length' inspect.json)" 4
assert_eq "$(jq -r '.images[2].platforms[3]' inspect.json)" "windows/amd64:10.0.20348.2849"
assert_eq "$(jq -r '.signers | length' inspect.json)" 2

step "import"
airlock import b.bundle --to oci:store --trusted-key ed.pub --json > import.json
assert_eq "$(jq -r .ok import.json)" true
assert_eq "$(jq -r .blobsPresent import.json)" 0

step "skopeo reads every OCI tag of the store, with the bundle's digests"
for i in 0 1 2; do
    name=$(jq -r ".images[$i].name" inspect.json)
    digest=$(jq -r ".images[$i].digest" inspect.json)
    for tag in $(jq -r ".images[$i].tags[]" inspect.json) latest; do
        [ "$name:$tag" = "localhost/sample:latest" ] && [ "$i" = 0 ] && continue
        got=$(skopeo inspect --raw "oci:store:$name:$tag" | sha256sum | cut -d' ' -f1)
        assert_eq "sha256:$got" "$digest" "digest of $name:$tag"
    done
done
skopeo inspect oci:store:localhost/sample:1.0 | jq -e '.Labels["org.opencontainers.image.version"] == "1.0.3"' > /dev/null
skopeo copy -q oci:store:localhost/sample:latest oci:copy:latest
umoci ls --layout store | grep -qx "localhost/sample:2.0" || fail "umoci does not list localhost/sample:2.0"

step "images"
airlock images --store oci:store --json > images.json
assert_eq "$(jq -r '[.images[] | select(.name == "localhost/sample" and (.tags | index("latest")))][0].digest' images.json)" \
    "$(jq -r '.images[1].digest' inspect.json)"
assert_eq "$(jq -r '[.images[] | select(.tags | index("ltsc"))][0].platforms | join(" ")' images.json)" \
    "linux/amd64 linux/arm64 windows/amd64:10.0.17763.6532 windows/amd64:10.0.20348.2849"
airlock images --store oci:store | head -n 1 | grep -q "REPOSITORY *TAG *DIGEST *PLATFORM *SIZE *CREATED"

step "re-import is a no-op"
before=$(tree_digest store)
airlock import b.bundle --to oci:store --trusted-key ed.pub > again.txt
grep -q "nothing changed" again.txt || fail "re-import changed something"
assert_eq "$(tree_digest store)" "$before" "store after re-import"

step "packing again gives the same bytes"
# shellcheck disable=SC2086
airlock pack $sources -o again.bundle --sign-key ed.key --all-platforms --threads 1 -q > /dev/null
# shellcheck disable=SC2086
airlock pack $sources -o again2.bundle --sign-key ed.key --all-platforms --threads 2 -q > /dev/null
cmp again.bundle again2.bundle

step "no lock-in: zstd -d | tar -x gives a layout skopeo copies from"
mkdir x
zstd -dq < b.bundle | tar -x -C x
for file in oci-layout index.json manifest.json; do
    test -f "x/$file" || fail "the bundle unpacked with tar has no $file"
done
skopeo copy -q oci:x:localhost/sample:2.0 oci:fromtar:s
skopeo inspect oci:fromtar:s | jq -e '.Labels["org.opencontainers.image.version"] == "2.0.0"' > /dev/null
jq -e '.[0].RepoTags == ["localhost/sample:1.0", "localhost/sample:1.0.3"]' x/manifest.json > /dev/null

step "--compression none writes a plain tar that imports the same"
airlock pack "oci:$images/sample:1.0" -o plain.bundle --sign-key ed.key --compression none -q > /dev/null
tar -tf plain.bundle | head -n 2 | tr '\n' ' ' | grep -q "^bundle.json signatures.json" || fail "plain tar order"
airlock import plain.bundle --to oci:plain --trusted-key ed.pub -q > /dev/null
skopeo inspect oci:plain:localhost/sample:1.0 > /dev/null

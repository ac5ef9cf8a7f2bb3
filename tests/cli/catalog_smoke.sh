# A vendor catalog in one bundle: 300 small images from one OCI layout (scripts/bench/make-catalog)
# packed, verified and imported into an OCI store, where every tag is present and skopeo reads
# them; then into a registry, where every tag is read back and a second import pushes nothing. The same path as scripts/bench/run --catalog, at a size for the test suite; no
# timing.
. "$(dirname "$0")/common.sh"

n=300
make_key

step "a layout of $n images"
python3 "$AIRLOCK_SOURCE/scripts/bench/make-catalog" catalog $n --list images.txt
assert_eq "$(wc -l < images.txt)" $n
assert_eq "$(jq '.manifests | length' catalog/index.json)" $n

step "pack the whole catalog"
airlock pack -f images.txt -o catalog.bundle --sign-key k.key --json > pack.json
assert_eq "$(jq -r .ok pack.json)" true
assert_eq "$(jq '.images | length' pack.json)" $n

step "verify"
airlock verify catalog.bundle --trusted-key k.pub --json > verify.json
assert_eq "$(jq -r .ok verify.json)" true
assert_eq "$(jq '.problems | length' verify.json)" 0

step "import into an OCI store"
airlock import catalog.bundle --to oci:store --trusted-key k.pub --json > import.json
assert_eq "$(jq -r .ok import.json)" true
assert_eq "$(jq '.images | length' import.json)" $n

step "every image with its tag and latest, in airlock images and in index.json"
# Image i of the catalog is localhost/appNNNNN:1.<i mod 7>; each is the only one of its name.
sed -e 's/^oci:catalog:/localhost\//' images.txt | LC_ALL=C sort > want.txt
airlock images --store oci:store --json > images.json
jq -r '.images[] | .name + ":" + (.tags[] | select(. != "latest"))' images.json | LC_ALL=C sort > got.txt
diff want.txt got.txt || fail "airlock images does not list every tag of the catalog"
assert_eq "$(jq '[.images[] | select(.tags | index("latest"))] | length' images.json)" $n
jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' store/index.json |
    grep -v ':latest$' | LC_ALL=C sort > index.txt
diff want.txt index.txt || fail "index.json does not name every tag of the catalog"
assert_eq "$(jq '.manifests | length' store/index.json)" $((2 * n))

step "skopeo reads a sample of the store, with the source's digests"
for i in 00000 00123 00299; do
    ref=$(grep "app$i:" images.txt | sed 's/^oci:catalog://')
    want=$(skopeo inspect --raw "oci:catalog:$ref" | sha256sum | cut -d' ' -f1)
    got=$(skopeo inspect --raw "oci:store:localhost/$ref" | sha256sum | cut -d' ' -f1)
    assert_eq "$got" "$want" "manifest of localhost/$ref"
done
skopeo copy -q oci:store:localhost/app00299:latest dir:copy
[ -s copy/manifest.json ] || fail "skopeo copied no manifest"

step "a second import changes nothing"
before=$(tree_digest store)
airlock import catalog.bundle --to oci:store --trusted-key k.pub --json > again.json
assert_eq "$(jq -r .ok again.json)" true
assert_eq "$(tree_digest store)" "$before" "the store after a second import"

step "into a registry: every blob uploaded, a sample read back by skopeo"
start_registry plain reg
airlock import catalog.bundle --to "docker://$REGISTRY/site" --insecure-registry "$REGISTRY" \
    --trusted-key k.pub --json > push.json 2> /dev/null
assert_eq "$(jq -r .ok push.json)" true
assert_eq "$(jq -r .blobsWritten push.json)" $((2 * n)) "blobs uploaded"
for i in 00000 00123 00299; do
    ref=$(grep "app$i:" images.txt | sed 's/^oci:catalog:localhost\///')
    want=$(skopeo inspect --raw "oci:catalog:localhost/$ref" | sha256sum | cut -d' ' -f1)
    for tag in "$ref" "${ref%%:*}:latest"; do
        got=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/site/$tag" | sha256sum | cut -d' ' -f1)
        assert_eq "$got" "$want" "manifest of site/$tag"
    done
done

step "a second import into the registry asks, and pushes nothing"
sleep 1 # the registry writes its access log after answering
puts=$(grep -c '"PUT ' "$REGISTRY_LOG")
airlock import catalog.bundle --to "docker://$REGISTRY/site" --insecure-registry "$REGISTRY" \
    --trusted-key k.pub --json > push-again.json 2> /dev/null
assert_eq "$(jq -r .blobsPresent push-again.json)" $((2 * n)) "blobs found present"
sleep 1
assert_eq "$(grep -c '"PUT ' "$REGISTRY_LOG")" "$puts" "PUTs on re-import"
echo ok

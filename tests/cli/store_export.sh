# export: images of the store as a `docker save` archive that a real Docker Engine loads (every
# tag, the store's layers), and as an OCI archive skopeo copies; the same images twice give the
# same bytes; a damaged blob exports nothing.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:2.0" "oci:$images/multi:ltsc" --all-platforms -o b.bundle --sign-key k.key -q > /dev/null
airlock import b.bundle --to oci:site --trusted-key k.pub -q > /dev/null

step "oci-archive: skopeo copies each image out of it"
airlock export localhost/sample:2.0 localhost/multi:ltsc --format oci-archive -o site.tar --store oci:site --json > oci.json
check_json export oci.json
for ref in localhost/sample:2.0 localhost/multi:ltsc; do
    skopeo copy -q --all "oci-archive:site.tar:$ref" "oci:copy:$ref"
    assert_eq "$(skopeo inspect --raw "oci:copy:$ref" | sha256sum | cut -c1-64)" \
        "$(skopeo inspect --raw "oci:site:$ref" | sha256sum | cut -c1-64)" "manifest of $ref after the round trip"
done

step "docker-archive: the same bytes twice; one platform of a multi-platform image"
airlock export localhost/sample:2.0 localhost/multi:ltsc -o images.tar --store oci:site -q
airlock export localhost/sample:2.0 localhost/multi:ltsc -o again.tar --store oci:site -q
cmp images.tar again.tar || fail "two exports of the same images differ"
tar -xOf images.tar manifest.json | jq -e 'length == 2 and .[0].RepoTags == ["localhost/sample:2.0"]' > /dev/null ||
    fail "manifest.json: $(tar -xOf images.tar manifest.json)"
expect_fail 1 "localhost/multi:ltsc has no linux/s390x image" \
    airlock export localhost/multi:ltsc --platform linux/s390x -o s390x.tar --store oci:site
test ! -e s390x.tar || fail "a failed export left its file"

step "docker load on a real engine: every tag, the store's layers"
if command -v dockerd > /dev/null; then
    start_service docker docker
    docker() { /usr/bin/docker --host "unix://$DOCKER_SOCK" "$@"; }
    docker load -i images.tar > load.txt
    docker images --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ' > tags.txt
    assert_eq "$(cat tags.txt)" "localhost/multi:ltsc localhost/sample:2.0 "
    config=$(jq -r '.config.digest' "site/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "localhost/sample:2.0") | .digest' site/index.json | cut -d: -f2)")
    assert_eq "$(docker image inspect localhost/sample:2.0 | jq -r '.[0].Id')" "$config" "image ID after docker load"
else
    echo "dockerd is not installed: docker load not tried"
fi

step "a damaged blob exports nothing"
layer=$(tar -xOf images.tar manifest.json | jq -r '.[0].Layers[0]')
chmod u+w "site/$layer"
damage_byte "site/$layer" 10
expect_fail 4 "blob sha256:${layer##*/} of oci:site does not match its digest" \
    airlock export localhost/sample:2.0 -o bad.tar --store oci:site
test ! -e bad.tar || fail "a failed export left its file"
ls -a | grep -q '^\.bad\.tar' && fail "a failed export left a temporary file: $(ls -a)"
true

# rm and prune on the stores that keep their own blobs: a registry (token auth, so deletes ask
# for their own scope), Docker Engine, containerd and podman. Each gets sample 1.0 (tags 1.0,
# 1.0.3) and 2.0 (2.0, 2.0.0, latest); rm takes tags away as the store's own tool then shows,
# prune --keep 1 takes the older version and never latest's, and the store reclaims the rest
# its own way. A registry that deletes by digest only refuses to take one tag of an image
# that has others, and one that refuses deletes says so; in both cases nothing changes.
. "$(dirname "$0")/common.sh"
skip_on_windows "the stores run on Linux"

make_key k
airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" -o ab.bundle --sign-key k.key -q > /dev/null
one=$(airlock inspect ab.bundle --json | jq -r '.images[] | select(.version == "1.0.3") | .digest')

step "registry: rm by tag refuses where the registry deletes by digest only"
start_registry token reg
access="--cert-dir $CERT_DIR --creds $REG_USER:$REG_PASS"
to="docker://$REGISTRY/site"
# shellcheck disable=SC2086
airlock import ab.bundle --to "$to" --trusted-key k.pub $access -q > /dev/null
# shellcheck disable=SC2086
tags() { airlock inventory --store "$to" --repository sample -o - $access | jq -r '[.images[].tag] | join(" ")'; }
assert_eq "$(tags)" "1.0 1.0.3 2.0 2.0.0 latest" "tags after the import"
# shellcheck disable=SC2086
expect_fail 1 "deletes images by digest only.*airlock rm site/sample@$one" \
    airlock rm --store "$to" sample:1.0 $access
assert_eq "$(tags)" "1.0 1.0.3 2.0 2.0.0 latest" "tags after a refused rm"
# shellcheck disable=SC2086
expect_fail 1 "no image sample:9.9 in docker://$REGISTRY/site" airlock rm --store "$to" sample:9.9 $access

step "registry: rm REPO@DIGEST takes every tag of that image, the others stay pullable"
# shellcheck disable=SC2086
airlock rm --store "$to" "sample@$one" $access --json > rm.json
check_json rm rm.json
assert_eq "$(jq -r '[.removed[].tag] | sort | join(" ")' rm.json)" "1.0 1.0.3" "removed tags"
assert_eq "$(tags)" "2.0 2.0.0 latest" "tags after rm"
skopeo inspect --cert-dir "$CERT_DIR/$REGISTRY" --creds "$REG_USER:$REG_PASS" "docker://$REGISTRY/site/sample:2.0" > /dev/null ||
    fail "2.0 is not pullable after rm of 1.0"

step "registry: prune --keep 1 takes the older version, the registry's collector the blobs"
# shellcheck disable=SC2086
airlock import ab.bundle --to "$to" --trusted-key k.pub $access -q > /dev/null
# shellcheck disable=SC2086
airlock prune --store "$to" --keep 1 --dry-run $access > dry.txt
grep -q "would untag site/sample:1.0.3" dry.txt || fail "dry run: $(cat dry.txt)"
assert_eq "$(tags)" "1.0 1.0.3 2.0 2.0.0 latest" "tags after a dry run"
# shellcheck disable=SC2086
airlock prune --store "$to" --keep 1 --json $access > prune.json
check_json prune prune.json
assert_eq "$(jq -r '[.untagged[].tag] | sort | join(" ")' prune.json)" "1.0 1.0.3" "pruned tags"
jq -r .reclaimed prune.json | grep -q "garbage-collect" || fail "no word on the registry's collector: $(cat prune.json)"
assert_eq "$(tags)" "2.0 2.0.0 latest" "tags after prune"
# shellcheck disable=SC2086
airlock prune --store "$to" --keep 0 $access -q
assert_eq "$(tags)" "2.0 2.0.0 latest" "latest's version stays with --keep 0"
before=$(find "$t/reg/data" -path '*/blobs/sha256/*/data' | wc -l)
docker-registry garbage-collect "$t/reg/config.yml" > /dev/null 2>&1 || fail "the registry's garbage-collect failed"
after=$(find "$t/reg/data" -path '*/blobs/sha256/*/data' | wc -l)
[ "$after" -lt "$before" ] || fail "the registry's collector reclaimed nothing ($before blobs, then $after)"
skopeo copy -q --src-cert-dir "$CERT_DIR/$REGISTRY" --src-creds "$REG_USER:$REG_PASS" "docker://$REGISTRY/site/sample:latest" oci:pulled:x ||
    fail "latest is not pullable after the registry's collector ran"

step "registry: fsck hashes what every tag reaches, and names a damaged layer with its tags"
# shellcheck disable=SC2086
airlock fsck --store "$to" $access --json > fsck.json
check_json fsck fsck.json
assert_eq "$(jq -r '[.ok, .exitCode] | join(" ")' fsck.json)" "true 0" "fsck of a whole registry"
[ "$(jq -r .checked fsck.json)" -ge 3 ] || fail "fsck checked too little: $(cat fsck.json)"
layer=$(skopeo inspect --raw --cert-dir "$CERT_DIR/$REGISTRY" --creds "$REG_USER:$REG_PASS" "docker://$REGISTRY/site/sample:2.0" | jq -r '.layers[-1].digest')
data=$(find "$t/reg/data" -path "*/blobs/sha256/*/${layer#sha256:}/data")
[ -f "$data" ] || fail "no data file for $layer"
damage_byte "$data" 100
# shellcheck disable=SC2086
expect_fail 4 "corrupt blob $layer .*breaks site/sample:2.0, site/sample:2.0.0, site/sample:latest" \
    airlock fsck --store "$to" $access
# shellcheck disable=SC2086
expect_fail 2 "--repair applies to OCI stores" airlock fsck --store "$to" --repair $access
expect_fail 2 "fsck checks OCI stores and registries" airlock fsck --store podman

step "registry: one that refuses deletes says so, and nothing changes"
REGISTRY_DELETE=false start_registry tls nodelete
airlock import ab.bundle --to "docker://$REGISTRY/site" --trusted-key k.pub --cert-dir "$CERT_DIR" -q > /dev/null
expect_fail 1 "refuses to delete site/sample@$one: deletes must be enabled" \
    airlock rm --store "docker://$REGISTRY/site" "sample@$one" --cert-dir "$CERT_DIR"
assert_eq "$(airlock inventory --store "docker://$REGISTRY/site" -o - --cert-dir "$CERT_DIR" | jq -r '[.images[].tag] | join(" ")')" \
    "1.0 1.0.3 2.0 2.0.0 latest" "tags after a refused delete"

step "registry: a platform manifest an index uses stays; attachments are not versions"
start_registry tls idx
idx="docker://$REGISTRY/site"
cp_to() { skopeo copy -q --all --dest-cert-dir "$CERT_DIR/$REGISTRY" "$1" "docker://$REGISTRY/site/$2"; }
cp_to "oci:$images/multi:ltsc" multi:ltsc
cp_to "oci:$images/multi:ltsc" multi:latest
cp_to "oci:$images/multi:linux-amd64" multi:linux-amd64
amd64=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "linux-amd64") | .digest' "$images/multi/index.json")
cp_to "oci:$images/sample:1.0" "multi:sha256-${amd64#sha256:}.sig"
idx_tags() { airlock inventory --store "$idx" --repository multi -o - --cert-dir "$CERT_DIR" | jq -r '[.images[].tag] | join(" ")'; }
all_idx_tags=$(idx_tags)
expect_fail 1 "does not delete the tag site/multi:linux-amd64 alone" \
    airlock rm --store "$idx" multi:linux-amd64 --cert-dir "$CERT_DIR"
airlock prune --store "$idx" --keep 0 --cert-dir "$CERT_DIR" -q
assert_eq "$(idx_tags)" "$all_idx_tags" "tags after prune --keep 0 (all one version, or attachments)"
skopeo inspect --override-arch amd64 --cert-dir "$CERT_DIR/$REGISTRY" "docker://$REGISTRY/site/multi:latest" > /dev/null ||
    fail "latest broke"
step "registry: fsck names a platform manifest missing from an index; host-qualified names match"
curl -fsS --cacert "$CERT_DIR/$REGISTRY/ca.crt" -X DELETE "https://$REGISTRY/v2/site/multi/manifests/$amd64" ||
    fail "could not delete the platform manifest by hand"
expect_fail 4 "missing blob $amd64 .*breaks site/multi:latest, site/multi:ltsc" \
    airlock fsck --store "$idx" --cert-dir "$CERT_DIR"
airlock rm --store "$idx" "$REGISTRY/site/multi:ltsc" --cert-dir "$CERT_DIR" 2> rm-host.err && fail "rm by digest-only registry took ltsc alone"
grep -q "does not delete the tag site/multi:ltsc alone" rm-host.err || fail "a host-qualified name did not match: $(cat rm-host.err)"
expect_fail 2 "would apply retention to every repository" airlock prune --store "docker://$REGISTRY" --keep 1 --cert-dir "$CERT_DIR"

step "Docker Engine: rm untags, prune takes the older version's image"
start_service docker d
docker() { /usr/bin/docker --host "unix://$DOCKER_SOCK" "$@"; }
engine="docker-engine:unix://$DOCKER_SOCK"
airlock import ab.bundle --to "$engine" --trusted-key k.pub -q > /dev/null
engine_tags() { docker images --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' '; }
repo=$(docker images --format '{{.Repository}}' | head -1)
assert_eq "$(engine_tags)" "$repo:1.0 $repo:1.0.3 $repo:2.0 $repo:2.0.0 $repo:latest " "engine tags"
old_id=$(docker image inspect --format '{{.Id}}' "$repo:1.0")
airlock rm --store "$engine" "$repo:1.0" -q
assert_eq "$(engine_tags)" "$repo:1.0.3 $repo:2.0 $repo:2.0.0 $repo:latest " "engine tags after rm"
airlock prune --store "$engine" --keep 1 --json > eprune.json
check_json prune eprune.json
assert_eq "$(jq -r '[.untagged[].tag] | join(" ")' eprune.json)" "1.0.3" "engine: pruned tags"
assert_eq "$(engine_tags)" "$repo:2.0 $repo:2.0.0 $repo:latest " "engine tags after prune"
docker image inspect "$old_id" > /dev/null 2>&1 && fail "the older image is still in the engine"
docker tag "$repo:2.0" "$repo:spare"
docker create --name user "$repo:2.0" /bin/true > /dev/null
airlock rm --store "$engine" "$repo:spare" "$repo:2.0" "$repo:2.0.0" "$repo:latest" 2> used.err && fail "removed an image a container uses"
grep -q "Docker Engine keeps" used.err || fail "the engine's refusal: $(cat used.err)"
grep -q "already removed from $engine: " used.err || fail "no word of what went before the refusal: $(cat used.err)"
docker rm user > /dev/null

step "containerd: rm removes the name, prune the older version"
start_service containerd c
ctrd="containerd:$CONTAINERD_SOCK?namespace=k8s.io"
airlock import ab.bundle --to "$ctrd" --trusted-key k.pub -q > /dev/null
ctr_tags() { ctr -a "$CONTAINERD_SOCK" -n k8s.io images ls -q | grep -v @ | sort | tr '\n' ' '; }
crepo=$(ctr -a "$CONTAINERD_SOCK" -n k8s.io images ls -q | head -1 | sed 's/:[^:/]*$//')
ctr -a "$CONTAINERD_SOCK" -n k8s.io images tag "$crepo:2.0" "$crepo@$(ctr -a "$CONTAINERD_SOCK" -n k8s.io images ls | awk -v r="$crepo:2.0" '$1 == r { print $3 }')" > /dev/null
airlock rm --store "$ctrd" "$crepo:1.0" -q
assert_eq "$(ctr_tags)" "$crepo:1.0.3 $crepo:2.0 $crepo:2.0.0 $crepo:latest " "containerd names after rm"
airlock prune --store "$ctrd" --keep 1 -q
assert_eq "$(ctr_tags)" "$crepo:2.0 $crepo:2.0.0 $crepo:latest " "containerd names after prune"
ctr -a "$CONTAINERD_SOCK" -n k8s.io images ls -q | grep -q "$crepo@sha256:" || fail "prune took CRI's digest record of latest's image"
ctr -a "$CONTAINERD_SOCK" -n k8s.io content ls -q | grep -q "$one" && fail "containerd kept the pruned manifest $one"

step "podman: rm untags, prune the older version"
use_podman podman
airlock import ab.bundle --to podman --trusted-key k.pub -q > /dev/null
podman_tags() { podman images --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' '; }
airlock rm --store podman localhost/sample:1.0 -q
assert_eq "$(podman_tags)" "localhost/sample:1.0.3 localhost/sample:2.0 localhost/sample:2.0.0 localhost/sample:latest " "podman tags after rm"
airlock prune --store podman --keep 1 > pprune.txt
assert_eq "$(podman_tags)" "localhost/sample:2.0 localhost/sample:2.0.0 localhost/sample:latest " "podman tags after prune"
grep -q "podman removed 1 image" pprune.txt || fail "podman's prune: $(cat pprune.txt)"
expect_fail 2 "podman's own storage is named podman" airlock rm --store 'containers-storage:[vfs@/x+/y]' localhost/sample:2.0

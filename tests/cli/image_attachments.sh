# sigstore attachments and OCI 1.1 referrers cross the air gap. Upstream, a cosign-format
# signature (the tag sha256-HEX.sig: a simple-signing payload as its layer, the ECDSA signature
# in the layer's dev.cosignproject.cosign/signature annotation, made here with openssl) and an
# SBOM pushed as a referrer of the image (a manifest with a `subject`, listed in the referrers
# tag sha256-HEX, as clients keep it on a registry without the referrers API). pack carries
# both; import into the site registry puts them under the same tag and subject, where openssl
# verifies the signature against the site's manifest digest; an OCI store keeps them in its
# index. pack --require-source-signature with the PEM key checks the cosign signature.
. "$(dirname "$0")/common.sh"
skip_on_windows "skopeo and the test registry run on Linux"
command -v jq > /dev/null || skip "jq is not installed"

make_key k
openssl ecparam -genkey -name prime256v1 -noout -out cosign.key 2> /dev/null
openssl ec -in cosign.key -pubout -out cosign.pub 2> /dev/null
openssl genpkey -algorithm ed25519 -out ed.key 2> /dev/null
openssl pkey -in ed.key -pubout -out ed.pub 2> /dev/null
openssl ecparam -genkey -name prime256v1 -noout -out wrong.key 2> /dev/null
openssl ec -in wrong.key -pubout -out wrong.pub 2> /dev/null

start_registry tls up
up=$REGISTRY up_certs=$CERT_DIR up_ca=$CA up_log=$REGISTRY_LOG
skopeo copy -q --dest-cert-dir "$up_certs/$up" "oci:$images/sample:1.0" "docker://$up/vendor/app:1.0"
skopeo copy -q --dest-cert-dir "$up_certs/$up" "oci:$images/sample:2.0" "docker://$up/vendor/plain:2.0"
skopeo copy -q --dest-cert-dir "$up_certs/$up" "oci:$images/multi:linux-amd64" "docker://$up/vendor/forged:1"

# reg CA ARGS...: curl against a test registry.
reg() {
    ca=$1
    shift
    curl -fsS --cacert "$ca" "$@"
}
# push_blob REGISTRY REPO FILE: uploads FILE as a blob (monolithic), prints its digest.
push_blob() {
    d=sha256:$(sha256sum "$3" | cut -c1-64)
    loc=$(reg "$up_ca" -X POST -D - -o /dev/null "https://$1/v2/$2/blobs/uploads/" |
        tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')
    case $loc in http*) ;; *) loc="https://$1$loc" ;; esac
    case $loc in *\?*) sep='&' ;; *) sep='?' ;; esac
    reg "$up_ca" -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$3" -o /dev/null "$loc${sep}digest=$d"
    echo "$d"
}
# push_manifest REGISTRY REPO REF FILE TYPE
push_manifest() {
    reg "$up_ca" -X PUT -H "Content-Type: $5" --data-binary "@$4" -o /dev/null "https://$1/v2/$2/manifests/$3"
}
# get CA REGISTRY REPO REF: a manifest or index as the registry serves it.
get() {
    reg "$1" -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' \
        "https://$2/v2/$3/manifests/$4"
}
digest_of() { printf 'sha256:%s' "$(sha256sum "$1" | cut -c1-64)"; }
size_of() { wc -c < "$1" | tr -d ' '; }

# cosign_sign REPO SIGNED-DIGEST KEY TAG-DIGEST: a cosign-format signature of SIGNED-DIGEST by KEY
# under the tag sha256-HEX.sig of TAG-DIGEST in REPO upstream; prints the manifest's digest.
cosign_sign() {
    printf '{"critical":{"identity":{"docker-reference":"%s/%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
        "$up" "$1" "$2" > payload.json
    case $3 in
    ed*) sig=$(openssl pkeyutl -sign -inkey "$3" -rawin -in payload.json | base64 -w0) ;; # Ed25519
    *) sig=$(openssl dgst -sha256 -sign "$3" payload.json | base64 -w0) ;;               # ECDSA P-256
    esac
    p=$(push_blob "$up" "$1" payload.json)
    printf '{"architecture":"","config":{},"created":"0001-01-01T00:00:00Z","os":"","rootfs":{"type":"layers","diff_ids":["%s"]}}' "$p" > cosign-config.json
    c=$(push_blob "$up" "$1" cosign-config.json)
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":%s,"digest":"%s"},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":%s,"digest":"%s","annotations":{"dev.cosignproject.cosign/signature":"%s"}}]}' \
        "$(size_of cosign-config.json)" "$c" "$(size_of payload.json)" "$p" "$sig" > sig-manifest.json
    push_manifest "$up" "$1" "sha256-${4#sha256:}.sig" sig-manifest.json application/vnd.oci.image.manifest.v1+json
    digest_of sig-manifest.json
}

get "$up_ca" "$up" vendor/app 1.0 > app.json
app=$(digest_of app.json)
sig_manifest=$(cosign_sign vendor/app "$app" cosign.key "$app")
plain=$(get "$up_ca" "$up" vendor/plain 2.0 | sha256sum | cut -c1-64)
forged=$(get "$up_ca" "$up" vendor/forged 1 | sha256sum | cut -c1-64)
# forged:1 carries a signature by the right key, over app's digest.
cosign_sign vendor/forged "$app" cosign.key "sha256:$forged" > /dev/null

# An SBOM as a referrer of app:1.0, and the referrers tag that lists it.
printf '{"spdxVersion":"SPDX-2.3","name":"app"}' > sbom.json
printf '{}' > empty.json
s=$(push_blob "$up" vendor/app sbom.json)
e=$(push_blob "$up" vendor/app empty.json)
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/spdx+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,"digest":"%s"},"layers":[{"mediaType":"application/spdx+json","size":%s,"digest":"%s"}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":%s,"digest":"%s"}}' \
    "$e" "$(size_of sbom.json)" "$s" "$(size_of app.json)" "$app" > sbom-manifest.json
sbom=$(digest_of sbom-manifest.json)
push_manifest "$up" vendor/app "$sbom" sbom-manifest.json application/vnd.oci.image.manifest.v1+json
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":%s,"digest":"%s","artifactType":"application/spdx+json"}]}' \
    "$(size_of sbom-manifest.json)" "$sbom" > referrers.json
push_manifest "$up" vendor/app "sha256-${app#sha256:}" referrers.json application/vnd.oci.image.index.v1+json

step "pack carries the cosign signature and the referrer, inspect lists them"
airlock pack "docker://$up/vendor/app:1.0" "docker://$up/vendor/plain:2.0" --cert-dir "$up_certs" \
    -o att.bundle --sign-key k.key -q > /dev/null
airlock inspect att.bundle --json > inspect.json
check_json inspect inspect.json
assert_eq "$(jq -r '[.images[] | (.attachments // []) | length] | join(" ")' inspect.json)" "2 0" "attachments per image"
assert_eq "$(jq -r '.images[0].attachments | map(.kind + " " + .subject + " " + .digest) | sort | join(",")' inspect.json)" \
    "referrer $app $sbom,sigstore-signature $app $sig_manifest" "what travels"
assert_eq "$(jq -r '.images[0].attachments[] | select(.kind == "referrer") | .artifactType' inspect.json)" \
    "application/spdx+json" "the referrer's artifact type"
airlock inspect att.bundle | grep -q "2 attached" || fail "inspect's table does not show the attachments"
# Attachment tags are looked for with HEAD (no pull counted where registries limit pulls); only
# one that exists is read, by the digest the HEAD named.
grep -Eq '"HEAD /v2/vendor/plain/manifests/sha256-[0-9a-f]{64}\.sig ' "$up_log" ||
    fail "the .sig tag of vendor/plain was not looked for with HEAD"
if grep -Eq '"GET /v2/vendor/(plain|app)/manifests/sha256-[0-9a-f]{64}\.(sig|att|sbom) ' "$up_log"; then
    fail "an attachment tag was read with GET: $(grep -E '"GET /v2/vendor/[a-z]+/manifests/sha256-' "$up_log" | head -n 2)"
fi
grep -q "\"GET /v2/vendor/app/manifests/$sig_manifest " "$up_log" ||
    fail "the .sig manifest of vendor/app was not read by its digest"
airlock verify att.bundle --trusted-key k.pub -q
airlock pack "docker://$up/vendor/app:1.0" --cert-dir "$up_certs" --no-signatures -o bare.bundle --sign-key k.key -q > /dev/null
assert_eq "$(airlock inspect bare.bundle --json | jq '.images[0].attachments // [] | length')" 0 "attachments with --no-signatures"

step "import into the site registry: the signature under its tag, verified there by openssl; the referrer in the referrers tag"
start_registry tls site
site=$REGISTRY site_ca=$CA
airlock import att.bundle --to "docker://$site/mirror" --cert-dir "$CERT_DIR" --trusted-key k.pub -q > /dev/null
site_digest=$(get "$site_ca" "$site" mirror/vendor/app 1.0 | sha256sum | cut -c1-64)
get "$site_ca" "$site" mirror/vendor/app "sha256-$site_digest.sig" > site-sig.json ||
    fail "no sha256-HEX.sig tag at the site"
layer=$(jq -r '.layers[0].digest' site-sig.json)
reg "$site_ca" "https://$site/v2/mirror/vendor/app/blobs/$layer" -o site-payload.json
jq -r '.layers[0].annotations["dev.cosignproject.cosign/signature"]' site-sig.json | base64 -d > site-sig.bin
openssl dgst -sha256 -verify cosign.pub -signature site-sig.bin site-payload.json > /dev/null ||
    fail "the site's copy of the signature does not verify"
assert_eq "$(jq -r '.critical.image["docker-manifest-digest"]' site-payload.json)" "sha256:$site_digest" \
    "the digest the site's signature names"
get "$site_ca" "$site" mirror/vendor/app "sha256-$site_digest" > site-referrers.json ||
    fail "no referrers tag at the site"
assert_eq "$(jq -r '.manifests | map(.digest + " " + .artifactType) | join(",")' site-referrers.json)" \
    "$sbom application/spdx+json" "the site's referrers list"
assert_eq "$(get "$site_ca" "$site" mirror/vendor/app "$sbom" | jq -r '.subject.digest')" "sha256:$site_digest" \
    "the referrer's subject at the site"
airlock import att.bundle --to "docker://$site/mirror" --cert-dir "$CERT_DIR" --trusted-key k.pub -q > /dev/null
assert_eq "$(get "$site_ca" "$site" mirror/vendor/app "sha256-$site_digest" | jq '.manifests | length')" 1 \
    "referrers listed after a second import"

step "the site's own signature under that tag (a co-signature added there) is never overwritten"
# The site signs the mirrored image itself: its .sig now differs from the vendor's.
up_save=$up up_ca_save=$up_ca
up=$site up_ca=$site_ca
site_sig=$(cosign_sign mirror/vendor/app "sha256:$site_digest" wrong.key "sha256:$site_digest")
up=$up_save up_ca=$up_ca_save
airlock import att.bundle --to "docker://$site/mirror" --cert-dir "$CERT_DIR" --trusted-key k.pub > again.out 2> again.err
grep -q "holds another manifest" again.err || fail "no word of the site's own signature: $(cat again.err)"
grep -q "kept 0 of 0 vendor signature(s) and 1 of 2 attached manifest(s)" again.out || fail "summary: $(cat again.out)"
assert_eq "$(get "$site_ca" "$site" mirror/vendor/app "sha256-$site_digest.sig" | sha256sum | cut -c1-64)" "${site_sig#sha256:}" \
    "the site's signature after a re-import"

step "an OCI store keeps them in its index: the .sig tag and an untagged referrer"
airlock import att.bundle --to oci:store --trusted-key k.pub -q > /dev/null
assert_eq "$(jq -r --arg r "$up/vendor/app:sha256-${app#sha256:}.sig" \
    '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' store/index.json)" \
    "$sig_manifest" "the store's .sig entry"
assert_eq "$(jq -r --arg d "$sbom" '.manifests[] | select(.digest == $d) | .annotations // {} | length' store/index.json)" \
    0 "the store's referrer entry"
airlock fsck --store oci:store -q
airlock images --store oci:store --json > images.json
assert_eq "$(jq -r '[.images[] | .tags[] | select(startswith("sha256-"))] | length' images.json)" 0 "attachments listed as images"
skopeo inspect --raw "oci:store:$up/vendor/app:sha256-${app#sha256:}.sig" | jq -e '.layers[0].annotations' > /dev/null ||
    fail "skopeo does not read the store's .sig"

step "an OCI store's own manifest under a .sig name is never overwritten either"
airlock import att.bundle --to oci:own --trusted-key k.pub -q > /dev/null
ref="$up/vendor/app:sha256-${app#sha256:}.sig"
# The store's .sig now names another manifest (one it holds), as a local co-signature would.
jq --arg r "$ref" --arg d "$sbom" --argjson n "$(size_of sbom-manifest.json)" \
    '(.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r)) |= (.digest = $d | .size = $n)' \
    own/index.json > own.new && mv own.new own/index.json
airlock import att.bundle --to oci:own --trusted-key k.pub > own.out 2> own.err
grep -q "holds another manifest" own.err || fail "no word of the store's own entry: $(cat own.err)"
grep -q "1 of 2 attached manifest(s)" own.out || fail "summary: $(cat own.out)"
assert_eq "$(jq -r --arg r "$ref" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $r) | .digest' own/index.json)" \
    "$sbom" "the store's own entry after a re-import"

step "a pack from that store carries them on (a site relaying to another)"
airlock pack "oci:store:$up/vendor/app:1.0" -o relay.bundle --sign-key k.key -q > /dev/null
assert_eq "$(airlock inspect relay.bundle --json | jq -r '.images[0].attachments | map(.kind + " " + .digest) | sort | join(",")')" \
    "referrer $sbom,sigstore-signature $sig_manifest" "what a pack from the store carries"

step "a differential bundle carries the attached manifests and names their layers the site holds"
airlock inventory --store oci:store -o inv.json -q
airlock pack "docker://$up/vendor/app:1.0" --cert-dir "$up_certs" --since inv.json -o diff.bundle --sign-key k.key -q > /dev/null
airlock inspect diff.bundle --json > diff.json
assert_eq "$(jq '.images[0].attachments | length' diff.json)" 2 "attachments of the differential bundle"
# The image's layers, the SBOM and the signature payload: layers the site holds.
assert_eq "$(jq '.required.blobs' diff.json)" "$(($(jq '.layers | length' app.json) + 2))" "required blobs"
airlock import diff.bundle --to oci:store --trusted-key k.pub -q > /dev/null
airlock fsck --store oci:store -q

step "prune reads a hostile untagged manifest without failing, and leaves what it cannot place"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,"digest":"%s"},"layers":[],"subject":{"digest":5}}' \
    "$e" > odd.json
odd=$(digest_of odd.json)
cp odd.json "store/blobs/sha256/${odd#sha256:}"
jq --arg d "$odd" --argjson n "$(size_of odd.json)" \
    '.manifests += [{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":$d,"size":$n}]' \
    store/index.json > index.new && mv index.new store/index.json
airlock prune --store oci:store --dry-run --json > odd-prune.json
assert_eq "$(jq '.detached | length' odd-prune.json)" 0 "detached by a manifest whose subject is not a descriptor"

step "prune takes away what was attached to an image no longer in the store, and only that"
airlock prune --store oci:store --json > prune-kept.json
assert_eq "$(jq '.detached | length' prune-kept.json)" 0 "detached while the image is there"
tags=$(jq -r --arg n "$up/vendor/app" '.images[] | select(.name == $n) | .tags[] | $n + ":" + .' images.json)
# shellcheck disable=SC2086
airlock rm $tags --store oci:store -q > /dev/null
airlock prune --store oci:store --json > prune.json
check_json prune prune.json
assert_eq "$(jq -r '.detached | map(.tag + " " + .digest) | sort | join(",")' prune.json)" \
    " $sbom,sha256-${app#sha256:}.sig $sig_manifest" "what prune detached"
jq -e --arg d "$sig_manifest" --arg s "$sbom" '[.manifests[] | select(.digest == $d or .digest == $s)] | length == 0' \
    store/index.json > /dev/null || fail "attachments left in the index"
[ ! -e "store/blobs/sha256/${s#sha256:}" ] || fail "the SBOM's layer was kept"
airlock fsck --store oci:store -q
airlock images --store oci:store --json | jq -e '.images | length == 1' > /dev/null || fail "prune took the other image"

step "stores that keep no attachments say so"
use_podman podman
airlock import att.bundle --to podman --trusted-key k.pub > podman.out 2> podman.err
grep -q "podman keeps no attached artifacts: the bundle's 2 " podman.err || fail "podman: $(cat podman.err)"

step "--require-source-signature with a PEM key checks the cosign signature"
airlock pack "docker://$up/vendor/app:1.0" --cert-dir "$up_certs" -o req.bundle --sign-key k.key \
    --require-source-signature cosign.pub -q > /dev/null
assert_eq "$(airlock inspect req.bundle --json | jq -r '.images[0].verifiedBy[0].manifest')" "$app" "what the key vouched for"
# The payload as cached by that pack, damaged on disk (as a power failure can leave it): the next
# pack fetches it again instead of failing until the cache is cleared.
cached=$(grep -rlF "\"docker-manifest-digest\":\"$app\"" "$XDG_CACHE_HOME/airlock/blobs" | head -n 1)
[ -n "$cached" ] || fail "the cosign payload of $app is not in the cache"
damage_byte "$cached" 3
airlock pack "docker://$up/vendor/app:1.0" --cert-dir "$up_certs" -o req.bundle --sign-key k.key \
    --require-source-signature cosign.pub -q > /dev/null
assert_eq "$(airlock inspect req.bundle --json | jq -r '.images[0].verifiedBy[0].manifest')" "$app" "vouched for after the cache healed"
expect_fail 5 "vendor/plain:2.0 .*carries no signature" \
    airlock pack "docker://$up/vendor/plain:2.0" --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature cosign.pub
skopeo copy -q --dest-cert-dir "$up_certs/$up" "oci:$images/sample:2.0" "docker://$up/vendor/ed:2.0"
ed_digest=$(get "$up_ca" "$up" vendor/ed 2.0 | sha256sum | cut -c1-64)
cosign_sign vendor/ed "sha256:$ed_digest" ed.key "sha256:$ed_digest" > /dev/null
airlock pack "docker://$up/vendor/ed:2.0" --cert-dir "$up_certs" -o ed.bundle --sign-key k.key \
    --require-source-signature ed.pub -q > /dev/null
assert_eq "$(airlock inspect ed.bundle --json | jq -r '.images[0].verifiedBy[0].manifest')" "sha256:$ed_digest" "an Ed25519 key vouched"
expect_fail 5 "vendor/ed:2.0 .*not a valid signature by the key" \
    airlock pack "docker://$up/vendor/ed:2.0" --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature cosign.pub
expect_fail 5 "vendor/app:1.0 .*not a valid signature by the key" \
    airlock pack "docker://$up/vendor/app:1.0" --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature wrong.pub
expect_fail 5 "vendor/forged:1 .*signs another manifest digest" \
    airlock pack "docker://$up/vendor/forged:1" --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature cosign.pub
[ ! -e x.bundle ] || fail "a refused pack wrote x.bundle"

# A site whose store is a registry works with differential bundles: month 1 imported into the
# registry, `airlock inventory --store docker://...` of it (its catalog, or named repositories),
# month 2 packed --since that inventory leaves out what the registry holds, and imports there;
# skopeo pulls month 2 back whole.
. "$(dirname "$0")/common.sh"

make_key k
cp -r "$images/sample" app
chmod -R u+w app
umoci config --image app:1.0 --tag 1.1 --config.label "org.opencontainers.image.version=1.1"
mkdir -p patch/etc
head -c 1048576 /dev/urandom > patch/etc/patch.bin
umoci insert --image app:1.1 patch / > /dev/null
airlock pack oci:app:1.0 "oci:$images/multi:ltsc" --all-platforms -o month1.bundle --sign-key k.key -q > /dev/null

start_registry token reg
access="--cert-dir $CERT_DIR --creds $REG_USER:$REG_PASS"
# shellcheck disable=SC2086
airlock import month1.bundle --to "docker://$REGISTRY/site" --trusted-key k.pub $access -q > /dev/null
# Another prefix's images are not the site's.
# shellcheck disable=SC2086
airlock import month1.bundle --to "docker://$REGISTRY/elsewhere" --trusted-key k.pub $access -q > /dev/null

step "inventory of the registry under its prefix"
# shellcheck disable=SC2086
airlock inventory --store "docker://$REGISTRY/site" -o inv.json $access --json > inv-out.json
check_json inventory inv-out.json
assert_eq "$(jq -r .store inv.json)" "docker://$REGISTRY/site"
jq -r '.images[] | .name + ":" + .tag' inv.json | sort | tr '\n' ' ' > tags.txt
assert_eq "$(cat tags.txt)" "$REGISTRY/site/app:1.0 $REGISTRY/site/app:1.0.3 $REGISTRY/site/app:latest $REGISTRY/site/multi:latest $REGISTRY/site/multi:ltsc "
for blob in $(zstd -dq < month1.bundle | tar -xO bundle.json | jq -r '.blobs[].digest'); do
    jq -e --arg d "$blob" 'any(.blobs[]; .digest == $d)' inv.json > /dev/null || fail "the inventory lacks $blob"
done
# shellcheck disable=SC2086
airlock inventory --store "docker://$REGISTRY/site" --repository app -o app-only.json $access -q
assert_eq "$(jq -r '[.images[].tag] | join(" ")' app-only.json)" "1.0 1.0.3 latest" "tags of --repository app"
# shellcheck disable=SC2086
expect_fail 1 "has no tags of site/nothing" airlock inventory --store "docker://$REGISTRY/site" --repository nothing -o x.json $access

step "month 2 packed against it leaves out what the registry holds, and imports there"
airlock pack oci:app:1.1 -o month2.bundle --since inv.json --sign-key k.key --json > month2.json
jq -e '.required.blobs > 0' month2.json > /dev/null || fail "nothing was left out: $(cat month2.json)"
# shellcheck disable=SC2086
airlock import month2.bundle --to "docker://$REGISTRY/site" --trusted-key k.pub $access -q > /dev/null
skopeo copy -q --src-cert-dir "$CERT_DIR/$REGISTRY" --src-creds "$REG_USER:$REG_PASS" "docker://$REGISTRY/site/app:1.1" oci:pulled:x
assert_eq "$(skopeo inspect --raw oci:pulled:x | sha256sum | cut -c1-64)" \
    "$(skopeo inspect --raw oci:app:1.1 | sha256sum | cut -c1-64)" "month 2 pulled back"

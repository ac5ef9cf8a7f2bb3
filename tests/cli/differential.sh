# Differential bundles: inventory of the air-gapped store -> pack --since leaves out the layers
# it holds -> import completes them from the store; onto a store missing a required blob the
# import is refused naming the digest and the image, with the store unchanged. Also --since a
# previous bundle, and a registry store.
. "$(dirname "$0")/common.sh"

make_key k
# Month 1: two images. Month 2: each gets one new layer on top (a patch).
cp -r "$images/sample" app
cp -r "$images/multi" base
chmod -R u+w app base
month2() { # LAYOUT FROM TO
    umoci config --image "$1:$2" --tag "$3" --config.label "org.opencontainers.image.version=$3"
    mkdir -p "patch-$1/etc"
    openssl enc -aes-128-ctr -pass "pass:$1-$3" -nosalt -pbkdf2 < /dev/zero 2> /dev/null | head -c 20000 > "patch-$1/etc/patch.bin"
    umoci insert --image "$1:$3" "patch-$1" / > /dev/null
}
month2 app 1.0 1.1
month2 base linux-amd64 2026.12
airlock pack oci:app:1.0 oci:base:linux-amd64 -o month1.bundle --sign-key k.key -q > /dev/null
airlock import month1.bundle --to oci:site --trusted-key k.pub -q > /dev/null

step "inventory, then a differential pack"
airlock inventory --store oci:site -o inv.json -q
jq -e '.format == "airlock-inventory" and (.blobs | length) > 0' inv.json > /dev/null
airlock pack oci:app:1.1 oci:base:2026.12 -o full2.bundle --sign-key k.key -q > /dev/null
airlock pack oci:app:1.1 oci:base:2026.12 --since inv.json -o diff2.bundle --sign-key k.key -q > /dev/null
zstd -dq < diff2.bundle | tar -xO bundle.json > diff2.json
assert_eq "$(jq '.required | length' diff2.json)" 4 "layers left out (2 per image)"
jq -e '.since | startswith("inventory of oci:")' diff2.json > /dev/null
full=$(stat -c %s full2.bundle)
diff=$(stat -c %s diff2.bundle)
echo "month-over-month: full bundle $full bytes, differential $diff bytes"
test "$diff" -lt $((full / 4)) || fail "the differential bundle is not much smaller ($diff vs $full)"
airlock verify diff2.bundle --trusted-key k.pub -q > /dev/null

step "a store missing a required blob refuses it, unchanged"
airlock import month1.bundle --to oci:partial --trusted-key k.pub -q > /dev/null
rm "partial/blobs/sha256/$(jq -r '.required[0].digest' diff2.json | cut -d: -f2)"
snapshot=$(tree_digest partial)
expect_fail 1 "differential bundle needs blob $(jq -r '.required[0].digest' diff2.json) .*used by localhost/app.*does not hold; it was packed against inventory of" \
    airlock import diff2.bundle --to oci:partial --trusted-key k.pub
assert_eq "$(tree_digest partial)" "$snapshot" "store after a refused differential import"

step "the differential bundle completes the store that holds month 1"
airlock import diff2.bundle --to oci:site --trusted-key k.pub -q > /dev/null
skopeo copy -q oci:site:localhost/app:1.1 oci:copied:app
assert_eq "$(skopeo inspect oci:site:localhost/app:latest | jq -r '.Labels["org.opencontainers.image.version"]')" "1.1"

step "--since a previous bundle"
airlock pack oci:app:1.1 --since month1.bundle -o diff-b.bundle --sign-key k.key -q > /dev/null
zstd -dq < diff-b.bundle | tar -xO bundle.json | jq -e '(.since | startswith("bundle sha256:")) and (.required | length) == 2' > /dev/null

step "--since a previous split bundle: by its name, its parts file or its first part"
want=$(zstd -dq < diff-b.bundle | tar -xO bundle.json | jq -c '[.since, .required]')
airlock pack oci:app:1.0 oci:base:linux-amd64 -o split1.bundle --sign-key k.key --split 1M -q > /dev/null
test ! -e split1.bundle || fail "the split bundle exists whole"
for previous in split1.bundle split1.bundle.parts.json split1.bundle.001; do
    airlock pack oci:app:1.1 --since "$previous" -o "diff-$previous.bundle" --sign-key k.key -q > /dev/null
    assert_eq "$(zstd -dq < "diff-$previous.bundle" | tar -xO bundle.json | jq -c '.required')" "$(echo "$want" | jq -c '.[1]')" "--since $previous"
done
expect_fail 4 "is neither an airlock bundle nor an inventory" airlock pack oci:app:1.1 --since k.pub -o x.bundle --sign-key k.key

step "a registry store"
start_registry plain reg
airlock import month1.bundle --to "docker://$REGISTRY/site" --insecure-registry "$REGISTRY" --trusted-key k.pub -q > /dev/null
airlock import diff2.bundle --to "docker://$REGISTRY/site" --insecure-registry "$REGISTRY" --trusted-key k.pub -q > /dev/null
skopeo copy -q --src-tls-verify=false "docker://$REGISTRY/site/app:1.1" oci:from-registry:app
# Another repository of the registry: the layers are mounted from where they were pushed.
airlock import diff2.bundle --to "docker://$REGISTRY/elsewhere" --insecure-registry "$REGISTRY" --trusted-key k.pub --json > mounted.json
test "$(jq -r .blobsMounted mounted.json)" -ge 4 || fail "required layers were not mounted: $(cat mounted.json)"
# Without that knowledge (another machine's cache), the registry lacks them there: refused.
XDG_CACHE_HOME=$t/other-cache expect_fail 1 "differential bundle needs blob .*which docker://$REGISTRY/third does not hold" \
    airlock import diff2.bundle --to "docker://$REGISTRY/third" --insecure-registry "$REGISTRY" --trusted-key k.pub
if skopeo inspect --tls-verify=false "docker://$REGISTRY/third/app:1.1" > /dev/null 2>&1; then
    fail "a refused differential import left a tag"
fi

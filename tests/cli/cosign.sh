# Co-signing without re-packing: airlock sign verifies the bundle first (signature by a key the
# signer trusts, every digest) and says what it signs, then writes BUNDLE.cosign.json;
# --require-signatures N counts distinct trusted keys; a forged co-signature is refused; inspect
# shows the bundle's SHA-256, equal for two packs of the same inputs.
. "$(dirname "$0")/common.sh"

make_key release
make_key security ecdsa-p256
make_key outsider
airlock pack "oci:$images/sample:1.0" -o b.bundle --sign-key release.key -q > /dev/null
before=$(sha256sum b.bundle | cut -d' ' -f1)

step "one signature does not satisfy --require-signatures 2"
expect_fail 5 "needs signatures by 2 trusted keys and has 1 \(add one with 'airlock sign'\)" \
    airlock verify b.bundle --trusted-key release.pub --trusted-key security.pub --require-signatures 2

step "a co-signature makes two, without touching the bundle"
airlock sign b.bundle --key security.key --trusted-key release.pub > sign.txt
grep -q "co-signed b.bundle by sha256:" sign.txt
grep -q "image:     localhost/sample \[1.0, 1.0.3\] sha256:" sign.txt || fail "sign did not say which images it signs"
grep -q "signed by: sha256:.* (trusted)" sign.txt || fail "sign did not say who signed before"
assert_eq "$(sha256sum b.bundle | cut -d' ' -f1)" "$before" "bundle bytes after sign"
airlock verify b.bundle --trusted-key release.pub --trusted-key security.pub --require-signatures 2 -q > /dev/null
airlock import b.bundle --to oci:store --trusted-key release.pub --trusted-key security.pub --require-signatures 2 -q > /dev/null
airlock inspect b.bundle | grep -q "(ecdsa-p256, co-signature)" || fail "inspect does not show the co-signature"
cosigned=$(sha256sum b.bundle.cosign.json)
airlock sign b.bundle --key security.key --trusted-key release.pub > again.txt 2> again.err
grep -q "already signed by sha256:.*adds nothing" again.err || fail "no warning for signing twice"
assert_eq "$(sha256sum b.bundle.cosign.json)" "$cosigned" "co-signatures after signing twice with one key"
airlock sign b.bundle --key release.key --trusted-key release.pub 2> self.err > /dev/null
grep -q "already signed" self.err || fail "no warning for co-signing with the packing key"
test "$(jq '.signatures | length' b.bundle.cosign.json)" = 1 || fail "the packing key was counted twice"

step "sign refuses what does not verify, and writes nothing"
airlock pack "oci:$images/sample:1.0" -o plain.bundle --sign-key release.key --compression none -q > /dev/null
$tamper plain.bundle flipped.bundle flip-layer
expect_fail 4 "does not match its digest" airlock sign flipped.bundle --key security.key --trusted-key release.pub
grep -q "refusing to co-sign flipped.bundle" err || fail "sign did not say it refused"
test ! -e flipped.bundle.cosign.json || fail "a tampered bundle was co-signed"
$tamper plain.bundle edited.bundle edit-manifest
expect_fail 5 "altered after signing" airlock sign edited.bundle --key security.key --trusted-key release.pub
test ! -e edited.bundle.cosign.json || fail "an edited bundle was co-signed"
expect_fail 5 "no signature by a trusted key" airlock sign plain.bundle --key security.key --trusted-key outsider.pub
expect_fail 5 "no trusted keys" airlock sign plain.bundle --key security.key --trusted-keys-dir "$t/none"
test ! -e plain.bundle.cosign.json || fail "an unverified bundle was co-signed"

step "untrusted or forged co-signatures do not count"
airlock sign b.bundle --key outsider.key --trusted-key release.pub -q > /dev/null
expect_fail 5 "needs signatures by 2 trusted keys and has 1" \
    airlock verify b.bundle --trusted-key release.pub --require-signatures 2
jq '.signatures[0].signature = "'"$(printf 'x%.0s' $(seq 1 64) | base64 -w0)"'"' b.bundle.cosign.json > forged.json
mv forged.json b.bundle.cosign.json
expect_fail 5 "does not match bundle.json" airlock verify b.bundle --trusted-key release.pub --trusted-key security.pub

step "inspect prints the bundle's SHA-256; two packs of the same inputs agree"
airlock pack "oci:$images/sample:1.0" -o again.bundle --sign-key release.key -q > /dev/null
assert_eq "$(airlock inspect again.bundle --json | jq -r .sha256)" "$before" "SHA-256 of a second pack"
airlock inspect again.bundle | grep -q "^SHA-256:   $before" || fail "inspect does not print the SHA-256"

step "a new pack at the same name drops the earlier co-signatures and the earlier form"
airlock sign again.bundle --key security.key --trusted-key release.pub -q > /dev/null
test -f again.bundle.cosign.json
airlock pack "oci:$images/sample:2.0" -o again.bundle --sign-key release.key -q > /dev/null
test ! -e again.bundle.cosign.json || fail "the co-signature of the earlier bundle was kept"
airlock verify again.bundle --trusted-key release.pub --trusted-key security.pub -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o again.bundle --sign-key release.key --split 1M -q > /dev/null
test ! -e again.bundle || fail "the whole bundle was kept beside its split form"
airlock sign again.bundle --key security.key --trusted-key release.pub -q > /dev/null
test -f again.bundle.cosign.json || fail "a split bundle named by its own name was not co-signed"
airlock pack "oci:$images/sample:1.0" -o again.bundle --sign-key release.key -q > /dev/null
for stale in again.bundle.parts.json again.bundle.001 again.bundle.cosign.json; do
    test ! -e "$stale" || fail "$stale of the split form was kept beside the whole bundle"
done
airlock verify again.bundle --trusted-key release.pub --trusted-key security.pub -q > /dev/null

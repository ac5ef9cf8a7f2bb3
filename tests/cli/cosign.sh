# Co-signing without re-packing: airlock sign writes BUNDLE.cosign.json; --require-signatures N
# counts distinct trusted keys; a forged co-signature is refused; inspect shows the bundle's
# SHA-256, equal for two packs of the same inputs.
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
airlock sign b.bundle --key security.key > sign.txt
grep -q "co-signed b.bundle by sha256:" sign.txt
assert_eq "$(sha256sum b.bundle | cut -d' ' -f1)" "$before" "bundle bytes after sign"
airlock verify b.bundle --trusted-key release.pub --trusted-key security.pub --require-signatures 2 -q > /dev/null
airlock import b.bundle --to oci:store --trusted-key release.pub --trusted-key security.pub --require-signatures 2 -q > /dev/null
airlock inspect b.bundle | grep -q "(ecdsa-p256, co-signature)" || fail "inspect does not show the co-signature"
airlock sign b.bundle --key security.key -q > /dev/null
assert_eq "$(jq '.signatures | length' b.bundle.cosign.json)" 1 "co-signatures after signing twice with one key"

step "untrusted or forged co-signatures do not count"
airlock sign b.bundle --key outsider.key -q > /dev/null
expect_fail 5 "needs signatures by 2 trusted keys and has 1" \
    airlock verify b.bundle --trusted-key release.pub --require-signatures 2
jq '.signatures[0].signature = "'"$(printf 'x%.0s' $(seq 1 64) | base64 -w0)"'"' b.bundle.cosign.json > forged.json
mv forged.json b.bundle.cosign.json
expect_fail 5 "does not match bundle.json" airlock verify b.bundle --trusted-key release.pub --trusted-key security.pub

step "inspect prints the bundle's SHA-256; two packs of the same inputs agree"
airlock pack "oci:$images/sample:1.0" -o again.bundle --sign-key release.key -q > /dev/null
assert_eq "$(airlock inspect again.bundle --json | jq -r .sha256)" "$before" "SHA-256 of a second pack"
airlock inspect again.bundle | grep -q "^SHA-256:   $before" || fail "inspect does not print the SHA-256"

# One key is one signer however its files are encoded: a P-256 key installed as an uncompressed,
# a compressed and an explicit-parameters PEM has one key id, and a second signature by the same
# key (made from the private key in another encoding, or written by hand under the id of
# another encoding) does not satisfy --require-signatures 2.
. "$(dirname "$0")/common.sh"

make_key k ecdsa-p256
make_key other ecdsa-p256
airlock pack "oci:$images/sample:1.0" -o b.bundle --sign-key k.key -q > /dev/null
id=$(airlock inspect b.bundle --json | jq -r '.signers[0].keyId')

step "the same public key, three ways"
mkdir trusted
cp k.pub trusted/k-uncompressed.pub
openssl ec -pubin -in k.pub -conv_form compressed -pubout -out trusted/k-compressed.pub 2> /dev/null
openssl ec -pubin -in k.pub -param_enc explicit -pubout -out trusted/k-explicit.pub 2> /dev/null
# Three different files, so three different DER encodings of one key.
assert_eq "$(for f in trusted/*.pub; do openssl pkey -pubin -in "$f" -outform DER | sha256sum; done | sort -u | wc -l)" 3
airlock verify b.bundle --trusted-keys-dir trusted -q > /dev/null
assert_eq "$(airlock verify b.bundle --trusted-keys-dir trusted --json | jq -r '.signers | length')" 1 "signers"
assert_eq "$(airlock verify b.bundle --trusted-keys-dir trusted --json | jq -r '.signers[0].keyId')" "$id" "key id"

step "a co-signature by the same private key in another encoding is not a second signer"
openssl ec -in k.key -conv_form compressed -out k-compressed.key 2> /dev/null
airlock sign b.bundle --key k-compressed.key --trusted-keys-dir trusted > /dev/null 2> sign.err
grep -q "already signed by $id" sign.err || fail "sign did not see the key had signed"
test ! -e b.bundle.cosign.json || fail "a second signature by the same key was written"
expect_fail 5 "needs signatures by 2 trusted keys and has 1" \
    airlock verify b.bundle --trusted-keys-dir trusted --require-signatures 2
expect_fail 5 "needs signatures by 2 trusted keys and has 1" \
    airlock import b.bundle --to oci:store --trusted-keys-dir trusted --require-signatures 2
test ! -e store/index.json || fail "an import with one signer of two changed the store"

step "a hand-made co-signature under another encoding's id is not a second signer"
tar --zstd -xOf b.bundle signatures.json > embedded.json
for f in trusted/k-compressed.pub trusted/k-explicit.pub; do
    other_id="sha256:$(openssl pkey -pubin -in "$f" -outform DER | sha256sum | cut -d' ' -f1)"
    [ "$other_id" != "$id" ] || fail "$f has the canonical DER"
    jq --arg id "$other_id" '.signatures[0].keyId = $id' embedded.json > b.bundle.cosign.json
    expect_fail 5 "needs signatures by 2 trusted keys and has 1" \
        airlock verify b.bundle --trusted-keys-dir trusted --require-signatures 2
done

step "a second key still counts"
rm b.bundle.cosign.json
cp other.pub trusted/
airlock sign b.bundle --key other.key --trusted-keys-dir trusted -q > /dev/null
airlock verify b.bundle --trusted-keys-dir trusted --require-signatures 2 -q > /dev/null
airlock import b.bundle --to oci:store --trusted-keys-dir trusted --require-signatures 2 -q > /dev/null

# `key sign-file` / `key verify-file`: detached signatures over a release's SHA256SUMS, checked
# by airlock against its trusted keys and by OpenSSL alone (the check of a host that has no
# airlock yet); anything but a trusted key's valid signature over the exact bytes fails, exit 5.
. "$(dirname "$0")/common.sh"

make_key k
make_key ec ecdsa-p256
make_key other
printf 'aaaa  airlock-0.1.0-linux-x86_64\n' > SHA256SUMS

step "Ed25519: airlock signs, airlock and OpenSSL check"
airlock key sign-file SHA256SUMS --key k.key | grep -q "SHA256SUMS.sig"
[ "$(stat -c %s SHA256SUMS.sig)" -eq 64 ] || fail "an Ed25519 signature is 64 raw bytes"
airlock key verify-file SHA256SUMS --trusted-key k.pub | grep -q "signature OK"
openssl pkeyutl -verify -pubin -inkey k.pub -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig |
    grep -q "Signature Verified Successfully"
mkdir keys && cp other.pub k.pub keys/
airlock key verify-file SHA256SUMS --trusted-keys-dir keys > /dev/null
AIRLOCK_TRUSTED_KEYS_DIR=$t/keys airlock key verify-file SHA256SUMS > /dev/null

step "ECDSA P-256, and a signature file of another name"
airlock key sign-file SHA256SUMS --key ec.key -o sums.ec.sig > /dev/null
openssl dgst -sha256 -verify ec.pub -signature sums.ec.sig SHA256SUMS | grep -q "Verified OK"
airlock key verify-file SHA256SUMS --signature sums.ec.sig --trusted-key ec.pub > /dev/null

step "--json"
airlock key sign-file SHA256SUMS --key k.key --json > sign.json
check_json key-file sign.json
airlock key verify-file SHA256SUMS --trusted-key k.pub --json > verify.json
check_json key-file verify.json
grep -q "$(airlock key generate -o k2 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["keyId"])')" sign.json &&
    fail "the key id must be the signing key's"
keyid=$(python3 -c 'import json; print(json.load(open("verify.json"))["keyId"])')
grep -q "$keyid" sign.json || fail "sign-file and verify-file name different keys"

step "refused: another key, a changed file, no key at all, a damaged signature"
expect_fail 5 "SHA256SUMS.sig is not a valid signature of SHA256SUMS by any of the 1 trusted" \
    airlock key verify-file SHA256SUMS --trusted-key other.pub
cp SHA256SUMS saved
printf 'bbbb  airlock-0.1.0-linux-x86_64\n' > SHA256SUMS
expect_fail 5 "not a valid signature of SHA256SUMS" airlock key verify-file SHA256SUMS --trusted-key k.pub
if openssl pkeyutl -verify -pubin -inkey k.pub -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig > /dev/null 2>&1; then
    fail "OpenSSL accepted a changed file"
fi
cp saved SHA256SUMS
mkdir empty
expect_fail 5 "no trusted keys: give --trusted-key PUB or install keys .* in empty" \
    airlock key verify-file SHA256SUMS --trusted-keys-dir empty
cp SHA256SUMS.sig good.sig
head -c 63 good.sig > SHA256SUMS.sig
expect_fail 5 "not a valid signature" airlock key verify-file SHA256SUMS --trusted-key k.pub
head -c 4096 /dev/zero > SHA256SUMS.sig
expect_fail 4 "SHA256SUMS.sig" airlock key verify-file SHA256SUMS --trusted-key k.pub
cp good.sig SHA256SUMS.sig
airlock key verify-file SHA256SUMS --trusted-key k.pub > /dev/null

step "--trusted-key names the only keys asked: a key of the directory does not stand in"
airlock key sign-file SHA256SUMS --key other.key -o by-other.sig > /dev/null
airlock key verify-file SHA256SUMS --signature by-other.sig --trusted-keys-dir keys > /dev/null
expect_fail 5 "not a valid signature" airlock key verify-file SHA256SUMS --signature by-other.sig \
    --trusted-key k.pub --trusted-keys-dir keys
expect_fail 5 "not a valid signature" env AIRLOCK_TRUSTED_KEYS_DIR="$t/keys" \
    "$AIRLOCK" key verify-file SHA256SUMS --signature by-other.sig --trusted-key k.pub

step "missing files, a file too large to be a checksum list, a public key to sign with"
expect_fail 1 "nosuch" airlock key verify-file nosuch --trusted-key k.pub
expect_fail 1 "SHA256SUMS.sig|nosuch.sig" airlock key verify-file SHA256SUMS --signature nosuch.sig --trusted-key k.pub
head -c 17M /dev/zero > big
expect_fail 4 "big" airlock key sign-file big --key k.key
[ ! -e big.sig ] || fail "a refused signing left big.sig"
expect_fail 2 "k.pub" airlock key sign-file SHA256SUMS --key k.pub -o pub.sig
[ ! -e pub.sig ] || fail "a refused signing left pub.sig"
expect_fail 2 "required" airlock key sign-file SHA256SUMS

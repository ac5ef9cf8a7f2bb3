# Key generation, key files and trusted-key directories.
. "$(dirname "$0")/common.sh"

step "key files and modes"
airlock key generate -o site --json > key.json
assert_eq "$(stat -c %a site.key)" 600
assert_eq "$(stat -c %a site.pub)" 644
grep -q "BEGIN PRIVATE KEY" site.key
grep -q "BEGIN PUBLIC KEY" site.pub
assert_eq "$(jq -r .type key.json)" ed25519
jq -r .keyId key.json | grep -Eq '^sha256:[0-9a-f]{64}$'
expect_fail 2 "already exists; refusing to overwrite" airlock key generate -o site
airlock key generate -o site --force > /dev/null
airlock key generate -o ec --type ecdsa-p256 --json | jq -e '.type == "ecdsa-p256"' > /dev/null
expect_fail 2 "unknown key type 'rsa'" airlock key generate -o rsa --type rsa
openssl pkey -in ec.key -noout -text 2> /dev/null | grep -q "prime256v1" || fail "not a P-256 key"

step "trusted keys from a directory"
airlock pack "oci:$images/sample:1.0" -o s.bundle --sign-key ec.key -q > /dev/null
mkdir trusted
cp ec.pub trusted/release.pub
airlock verify s.bundle --trusted-keys-dir trusted > /dev/null
airlock verify --trusted-key ec.pub s.bundle > /dev/null # a repeatable option before the bundle
AIRLOCK_TRUSTED_KEYS_DIR=$t/trusted airlock verify s.bundle > /dev/null
expect_fail 5 "no signature by a trusted key" airlock verify s.bundle --trusted-key site.pub --trusted-keys-dir "$t/none"
echo "garbage" > trusted/broken.pub
expect_fail 2 "trusted/broken.pub: not a PEM public key" airlock verify s.bundle --trusted-keys-dir trusted

step "a trusted keys directory others may write to is refused, not trusted"
chmod o+w trusted
expect_fail 2 "trusted is writable by other users, who could make airlock trust their key; run: chmod go-w" \
    airlock verify s.bundle --trusted-keys-dir trusted
chmod o-w trusted
rm trusted/broken.pub
chmod g+w trusted/release.pub
expect_fail 2 "release.pub is writable by other users, who could make airlock trust their key" \
    airlock verify s.bundle --trusted-keys-dir trusted
AIRLOCK_TRUSTED_KEYS_DIR=$t/trusted expect_fail 2 "while loading trusted keys" airlock verify s.bundle
chmod g-w trusted/release.pub
airlock verify s.bundle --trusted-keys-dir trusted > /dev/null

step "pack needs a usable signing key"
expect_fail 2 "sign-key" airlock pack "oci:$images/sample:1.0" -o x.bundle
expect_fail 2 "site.pub is a public key: signing needs the private key" airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key site.pub
test ! -e x.bundle || fail "a failed pack left a bundle"

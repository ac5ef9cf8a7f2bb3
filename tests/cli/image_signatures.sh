# Vendors' image signatures cross the air gap. Upstream, `skopeo copy --sign-by` signs an image
# into a registry with a lookaside store (registries.d, file://). pack carries the signature,
# import into the site registry under a prefix writes it where the site's lookaside reads, and
# skopeo with a policy.json requiring that GPG key (remapIdentity from the site prefix to the
# upstream name) pulls the image from the site. Without the signature (pack --no-signatures) or
# with an altered one, the same policy refuses. An OCI store keeps them beside its layout.
. "$(dirname "$0")/common.sh"
skip_on_windows "skopeo and gpg run on Linux"
command -v gpg > /dev/null || skip "gpg is not installed"

export GNUPGHOME="$t/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --passphrase '' --quick-gen-key 'Vendor <vendor@example.com>' ed25519 sign never 2> /dev/null
fpr=$(gpg --list-keys --with-colons | awk -F: '/^fpr/ { print $10; exit }')
gpg --export "$fpr" > vendor.gpg
make_key k

start_registry tls up
up=$REGISTRY up_certs=$CERT_DIR
mkdir -p up.d sigs
printf 'docker:\n  %s:\n    lookaside: file://%s/sigs\n    lookaside-staging: file://%s/sigs\n' "$up" "$t" "$t" > up.d/up.yaml
skopeo copy -q --dest-cert-dir "$up_certs/$up" --registries.d up.d --sign-by "$fpr" \
    "oci:$images/sample:1.0" "docker://$up/vendor/app:1.0"
skopeo copy -q --dest-cert-dir "$up_certs/$up" --registries.d up.d --sign-by "$fpr" \
    "oci:$images/sample:2.0" "docker://$up/vendor/bad:2.0"
skopeo copy -q --dest-cert-dir "$up_certs/$up" "oci:$images/multi:linux-amd64" "docker://$up/vendor/plain:1"
app=$(skopeo inspect --cert-dir "$up_certs/$up" --raw "docker://$up/vendor/app:1.0" | sha256sum | cut -c1-64)
[ -f "sigs/vendor/app@sha256=$app/signature-1" ] || fail "skopeo wrote no signature: $(find sigs)"
# The vendor's signature of bad:2.0 is altered in its lookaside store.
bad=$(find sigs -path '*vendor/bad@*' -name signature-1)
damage_byte "$bad" 40

step "pack carries the lookaside signatures, inspect shows them"
airlock pack "docker://$up/vendor/app:1.0" "docker://$up/vendor/bad:2.0" "docker://$up/vendor/plain:1" \
    --registries.d up.d --cert-dir "$up_certs" -o signed.bundle --sign-key k.key -q > /dev/null
airlock inspect signed.bundle --json > inspect.json
check_json inspect inspect.json
assert_eq "$(jq -r '[.images[] | (.signatures // []) | length] | join(" ")' inspect.json)" "1 1 0" "signatures per image"
assert_eq "$(jq -r '.images[0].signatures[0].manifest' inspect.json)" "sha256:$app" "what the signature signs"
airlock inspect signed.bundle | grep -q "SIGNATURES" || fail "inspect shows no signature column"
airlock verify signed.bundle --trusted-key k.pub -q
expect_fail 2 "--registries.d nowhere.d: not a directory" \
    airlock pack "docker://$up/vendor/app:1.0" --registries.d nowhere.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key
airlock pack "docker://$up/vendor/app:1.0" --registries.d up.d --cert-dir "$up_certs" --no-signatures \
    -o unsigned.bundle --sign-key k.key -q > /dev/null
assert_eq "$(airlock inspect unsigned.bundle --json | jq '.images[0].signatures // [] | length')" 0 "signatures with --no-signatures"

step "--require-source-signature: signed packs; unsigned, altered, wrongly signed and misplaced signatures are refused"
airlock pack "docker://$up/vendor/app:1.0" --registries.d up.d --cert-dir "$up_certs" -o req.bundle --sign-key k.key \
    --require-source-signature vendor.gpg -q > /dev/null
assert_eq "$(airlock inspect req.bundle --json | jq -r '.images[0].verifiedBy[0] | .key + " " + .manifest')" "$fpr sha256:$app" "who vouched"
airlock inspect req.bundle | grep -q "1 (verified)" || fail "inspect does not say the signature was checked"
expect_fail 5 "vendor/plain:1 .*carries no signature" \
    airlock pack "docker://$up/vendor/plain:1" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature vendor.gpg
expect_fail 5 "vendor/bad:2.0 .*not a valid signature by the key" \
    airlock pack "docker://$up/vendor/bad:2.0" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature vendor.gpg
gpg --batch --passphrase '' --quick-gen-key 'Other <other@example.com>' ed25519 sign never 2> /dev/null
other=$(gpg --list-keys --with-colons other@example.com | awk -F: '/^fpr/ { print $10; exit }')
skopeo copy -q --dest-cert-dir "$up_certs/$up" --registries.d up.d --sign-by "$other" \
    "oci:$images/sample:2.0" "docker://$up/vendor/other:2.0"
expect_fail 5 "vendor/other:2.0 .*not a valid signature by the key" \
    airlock pack "docker://$up/vendor/other:2.0" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature vendor.gpg
plain=$(skopeo inspect --cert-dir "$up_certs/$up" --raw "docker://$up/vendor/plain:1" | sha256sum | cut -c1-64)
mkdir -p "sigs/vendor/plain@sha256=$plain"
cp "sigs/vendor/app@sha256=$app/signature-1" "sigs/vendor/plain@sha256=$plain/signature-1"
expect_fail 5 "vendor/plain:1 .*signs another manifest digest" \
    airlock pack "docker://$up/vendor/plain:1" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature vendor.gpg
rm -r "sigs/vendor/plain@sha256=$plain"
# containers/image refuses a simple-signing identity that names neither tag nor digest.
skopeo copy -q --dest-cert-dir "$up_certs/$up" "oci:$images/sample:2.0" "docker://$up/vendor/nameonly:2.0"
skopeo inspect --cert-dir "$up_certs/$up" --raw "docker://$up/vendor/nameonly:2.0" > nameonly.json
nameonly=$(sha256sum < nameonly.json | cut -c1-64)
mkdir -p "sigs/vendor/nameonly@sha256=$nameonly"
skopeo standalone-sign nameonly.json "$up/vendor/nameonly" "$fpr" -o "sigs/vendor/nameonly@sha256=$nameonly/signature-1"
expect_fail 5 "vendor/nameonly:2.0 .*a name without a tag or digest" \
    airlock pack "docker://$up/vendor/nameonly:2.0" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature vendor.gpg
mkdir lists
cp vendor.gpg lists/
printf 'docker://%s/vendor/app:1.0  require-signature=vendor.gpg\ndocker://%s/vendor/plain:1\n' "$up" "$up" > lists/ok.txt
airlock pack -f lists/ok.txt --registries.d up.d --cert-dir "$up_certs" -o list.bundle --sign-key k.key -q > /dev/null
assert_eq "$(airlock inspect list.bundle --json | jq -r '[.images[] | (.verifiedBy // []) | length] | join(" ")')" "1 0" "checked per line of an image list"
printf 'docker://%s/vendor/plain:1  require-signature=vendor.gpg\n' "$up" > lists/bad.txt
expect_fail 5 "vendor/plain:1 .*carries no signature" \
    airlock pack -f lists/bad.txt --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key
gpg --export "$other" > other.gpg
printf 'docker://%s/vendor/other:2.0  require-signature=vendor.gpg\n' "$up" > lists/both.txt
expect_fail 5 "vendor/other:2.0 .*not a valid signature by the key" \
    airlock pack -f lists/both.txt --require-source-signature other.gpg --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key
gpg --batch --passphrase '' --quick-gen-key 'Revoked <revoked@example.com>' ed25519 sign never 2> /dev/null
revoked=$(gpg --list-keys --with-colons revoked@example.com | awk -F: '/^fpr/ { print $10; exit }')
skopeo copy -q --dest-cert-dir "$up_certs/$up" --registries.d up.d --sign-by "$revoked" \
    "oci:$images/sample:2.0" "docker://$up/vendor/revoked:2.0"
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$revoked.rev" | gpg --batch --import 2> /dev/null
gpg --export "$revoked" > revoked.gpg
expect_fail 5 "vendor/revoked:2.0 .*revoked" \
    airlock pack "docker://$up/vendor/revoked:2.0" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature revoked.gpg
layer=$(skopeo inspect --cert-dir "$up_certs/$up" --raw "docker://$up/vendor/app:1.0" | jq -r '.config.digest')
cp "$images/sample/blobs/sha256/${layer#sha256:}" "sigs/vendor/app@sha256=$app/signature-2"
expect_fail 4 "has the bytes of an image's blob $layer" \
    airlock pack "docker://$up/vendor/app:1.0" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key
rm "sigs/vendor/app@sha256=$app/signature-2"
gpg --armor --export "$fpr" > vendor.asc
expect_fail 2 "an armored OpenPGP key" \
    airlock pack "docker://$up/vendor/app:1.0" --registries.d up.d --cert-dir "$up_certs" -o x.bundle --sign-key k.key --require-source-signature vendor.asc
[ ! -e x.bundle ] || fail "a refused pack wrote x.bundle"

step "import into the site registry writes them where the site's lookaside reads"
start_registry tls site
mkdir -p site-sigs site.d
airlock import signed.bundle --to "docker://$REGISTRY/mirror" --cert-dir "$CERT_DIR" --trusted-key k.pub \
    --signatures-dir site-sigs -q > /dev/null
cmp "sigs/vendor/app@sha256=$app/signature-1" "site-sigs/mirror/vendor/app@sha256=$app/signature-1" ||
    fail "the site's signature differs: $(find site-sigs)"
airlock import signed.bundle --to "docker://$REGISTRY/mirror" --cert-dir "$CERT_DIR" --trusted-key k.pub \
    --signatures-dir site-sigs --json > again.json
[ ! -e "site-sigs/mirror/vendor/app@sha256=$app/signature-2" ] || fail "a re-import wrote the signature again"
assert_eq "$(jq -r '"\(.signaturesKept) of \(.signatures)"' again.json)" "2 of 2" "signatures kept by a re-import"
airlock import signed.bundle --to "docker://$REGISTRY/nowhere" --cert-dir "$CERT_DIR" --trusted-key k.pub \
    --signatures-dir /proc/nowhere --json > lost.json 2> lost.err
assert_eq "$(jq -r '"\(.signaturesKept) of \(.signatures)"' lost.json)" "0 of 2" "signatures kept where none can be written"

cat > policy.json <<JSON
{"default": [{"type": "reject"}],
 "transports": {"docker": {"$REGISTRY": [{"type": "signedBy", "keyType": "GPGKeys", "keyPath": "$t/vendor.gpg",
   "signedIdentity": {"type": "remapIdentity", "prefix": "$REGISTRY/mirror", "signedPrefix": "$up"}}]},
  "oci": {"": [{"type": "insecureAcceptAnything"}]}}}
JSON
printf 'docker:\n  %s:\n    lookaside: file://%s/site-sigs\n' "$REGISTRY" "$t" > site.d/site.yaml
pull() { skopeo --policy policy.json --registries.d site.d copy -q --remove-signatures --src-cert-dir "$CERT_DIR/$REGISTRY" "docker://$REGISTRY/$1" "oci:pulled:$2"; }
pull mirror/vendor/app:1.0 app || fail "the site's policy refused the vendor-signed image"

step "the site's policy refuses an image without its signature, and one whose signature was altered"
airlock import unsigned.bundle --to "docker://$REGISTRY/bare" --cert-dir "$CERT_DIR" --trusted-key k.pub \
    --signatures-dir site-sigs -q > /dev/null
sed -i "s|\"prefix\": \"$REGISTRY/mirror\"|\"prefix\": \"$REGISTRY/bare\"|" policy.json
if pull bare/vendor/app:1.0 bare 2> bare.err; then fail "an image without signature passed the policy"; fi
grep -qi "signature" bare.err || fail "refused for another reason: $(cat bare.err)"
sed -i "s|\"prefix\": \"$REGISTRY/bare\"|\"prefix\": \"$REGISTRY/mirror\"|" policy.json
if pull mirror/vendor/bad:2.0 bad 2> bad.err; then fail "an altered signature passed the policy"; fi

step "an OCI store keeps them beside its layout; stores without signatures say so"
airlock import signed.bundle --to oci:store --trusted-key k.pub -q > /dev/null
cmp "sigs/vendor/app@sha256=$app/signature-1" "store/signatures/vendor/app@sha256=$app/signature-1" ||
    fail "the OCI store's signature: $(find store/signatures)"
airlock fsck --store oci:store -q
expect_fail 2 "--signatures-dir applies to docker:// stores only" \
    airlock import signed.bundle --to oci:store2 --trusted-key k.pub --signatures-dir site-sigs
airlock import signed.bundle --to oci:store --trusted-key k.pub --dry-run > dry.out
grep -q "the images carry 2 vendor signature(s) and 0 attached manifest(s)" dry.out || fail "dry run: $(cat dry.out)"
use_podman podman
airlock import signed.bundle --to podman --trusted-key k.pub > podman.out 2> podman.err
grep -q "podman keeps no image signatures" podman.err || fail "podman: $(cat podman.err)"
grep -q "kept 0 of 2 vendor signature(s)" podman.out || fail "podman's summary: $(cat podman.out)"
gpgconf --kill gpg-agent 2> /dev/null || true

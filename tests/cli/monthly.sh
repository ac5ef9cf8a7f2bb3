# The README's monthly workflow, command for command: inventory on the air-gapped side, a
# differential pack split for FAT32 sticks, a second person co-signs, each stick is verified, and
# the import demands both signatures. Then the same bundle split over two sticks.
. "$(dirname "$0")/common.sh"

make_key release
make_key security
mkdir keys
cp release.pub security.pub keys/
cp -r "$images/sample" app
chmod -R u+w app
airlock pack oci:app:1.0 -o 2026-11.bundle --sign-key release.key --channel monthly --sequence 11 -q > /dev/null
airlock import 2026-11.bundle --to oci:site --trusted-keys-dir keys -q > /dev/null
# December's patch: a 3 MiB layer of incompressible bytes on top of 1.0.
umoci config --image app:1.0 --tag 1.1 --config.label "org.opencontainers.image.version=1.1"
mkdir -p patch/etc
head -c 3145728 /dev/urandom > patch/etc/patch.bin
umoci insert --image app:1.1 patch / > /dev/null
echo "oci:app:1.1" > images.txt

step "the README's monthly commands"
airlock inventory --store oci:site -o site-inventory.json -q
cp -r site site2
airlock pack -f images.txt --since site-inventory.json --channel monthly --sequence 12 \
    --expires 45d --split fat32 -o 2026-12.bundle --sign-key release.key -q > /dev/null
airlock sign 2026-12.bundle --key security.key --trusted-keys-dir keys -q > sign.txt
test -f 2026-12.bundle.cosign.json || fail "the co-signature is not beside the bundle: $(ls)"
airlock verify 2026-12.bundle --against site-inventory.json --trusted-keys-dir keys > against.txt
grep -q "would import" against.txt || fail "verify --against: $(cat against.txt)"
mkdir -p stick1
mv 2026-12.bundle.* stick1/
airlock verify stick1/2026-12.bundle.parts.json --require-signatures 2 --trusted-keys-dir keys > verify.txt
grep -q "every digest and size matches" verify.txt || fail "verify: $(cat verify.txt)"
before=$(tree_digest site)
airlock import stick1/2026-12.bundle.parts.json --to oci:site --require-signatures 2 --trusted-keys-dir keys --dry-run > dry.txt
grep -q "^localhost/app:1.1  would be added" dry.txt || fail "import --dry-run: $(cat dry.txt)"
assert_eq "$(tree_digest site)" "$before" "the store after the dry run"
airlock import stick1/2026-12.bundle.parts.json --to oci:site --require-signatures 2 --trusted-keys-dir keys -q > /dev/null
skopeo inspect oci:site:localhost/app:1.1 > /dev/null
airlock status --store oci:site > status.txt
grep -q "^Channel:   monthly #12 " status.txt || fail "status: $(cat status.txt)"
grep -q "2026-12.bundle.parts.json" status.txt || fail "status does not list the import: $(cat status.txt)"

step "one signature is not two"
mkdir lone
cp stick1/2026-12.bundle.001 stick1/2026-12.bundle.parts.json lone/
expect_fail 5 "needs signatures by 2 trusted keys and has 1" airlock verify lone/2026-12.bundle.parts.json --require-signatures 2 --trusted-keys-dir keys
expect_fail 5 "needs signatures by 2 trusted keys and has 1" airlock import lone/2026-12.bundle.parts.json --to oci:other --require-signatures 2 --trusted-keys-dir keys

step "split over two sticks, co-signed by naming any of its files"
airlock pack -f images.txt --since site-inventory.json --channel monthly --sequence 12 \
    --expires 45d --split 2M -o 2026-12b.bundle --sign-key release.key -q > /dev/null
test -f 2026-12b.bundle.002 || fail "expected two parts: $(ls)"
airlock sign 2026-12b.bundle.parts.json --key security.key --trusted-keys-dir keys -q > /dev/null
test -f 2026-12b.bundle.cosign.json || fail "the co-signature is not named after the bundle: $(ls)"
mkdir -p s1 s2
mv 2026-12b.bundle.parts.json 2026-12b.bundle.cosign.json 2026-12b.bundle.001 s1/
mv 2026-12b.bundle.002 s2/
airlock verify s1/2026-12b.bundle.parts.json --partial --require-signatures 2 --trusted-keys-dir keys > s1.txt
grep -q "1 of 2 parts present here and intact" s1.txt || fail "stick 1: $(cat s1.txt)"
airlock verify s1/2026-12b.bundle.parts.json --parts-dir s2 --require-signatures 2 --trusted-keys-dir keys > both.txt
grep -q "every digest and size matches" both.txt || fail "both sticks: $(cat both.txt)"
airlock import s1/2026-12b.bundle.parts.json --parts-dir s2 --to oci:site2 --require-signatures 2 --trusted-keys-dir keys -q > /dev/null
skopeo inspect oci:site2:localhost/app:1.1 > /dev/null

step "a co-signer signs no parts file it has not checked"
mkdir tampered
cp s1/2026-12b.bundle.parts.json s1/2026-12b.bundle.001 s2/2026-12b.bundle.002 tampered/
jq -c '.manifest.parts[1].sha256 = "'"$(printf '0%.0s' $(seq 1 64))"'"' tampered/2026-12b.bundle.parts.json > forged.json
mv forged.json tampered/2026-12b.bundle.parts.json
make_key third
expect_fail 5 "altered after signing" airlock sign tampered/2026-12b.bundle --key third.key --trusted-keys-dir keys
test ! -e tampered/2026-12b.bundle.cosign.json || fail "a forged parts file was co-signed"

step "a parts file of another bundle is not taken for this one's"
mkdir other
cp stick1/2026-12.bundle.parts.json other/2026-12b.bundle.parts.json
cp s2/2026-12b.bundle.002 other/
expect_fail 4 "lists the parts of 2026-12.bundle, not of 2026-12b.bundle" \
    airlock verify other/2026-12b.bundle.002 --partial --trusted-keys-dir keys

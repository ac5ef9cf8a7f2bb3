# Pack refuses bad sources with clear messages and leaves no partial bundle.
. "$(dirname "$0")/common.sh"

make_key k
expect_fail 1 "image 'nope' not found in .*sample \(available: (1.0, 2.0|2.0, 1.0)\)" \
    airlock pack "oci:$images/sample:nope" -o x.bundle --sign-key k.key
expect_fail 2 "holds 2 images; name one as oci:DIR:REF" airlock pack "oci:$images/sample" -o x.bundle --sign-key k.key
expect_fail 1 "is not an OCI image layout" airlock pack "oci:$t" -o x.bundle --sign-key k.key
expect_fail 2 "unsupported image source 'ftp://x'" airlock pack ftp://x -o x.bundle --sign-key k.key
expect_fail 2 "invalid --compression 'zstd:99'" airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key k.key --compression zstd:99

step "a corrupt blob in the source is caught while packing"
cp -r "$images/sample" broken
layer=$(jq -r '.layers[0].digest' "broken/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "1.0") | .digest' broken/index.json | cut -d: -f2)" | cut -d: -f2)
chmod u+w "broken/blobs/sha256/$layer"
printf 'X' | dd of="broken/blobs/sha256/$layer" bs=1 seek=100 conv=notrunc 2> /dev/null
expect_fail 4 "blob sha256:$layer in oci:.*broken:1.0 does not match its digest" \
    airlock pack "oci:$t/broken:1.0" -o x.bundle --sign-key k.key
test -z "$(ls -A | grep 'x.bundle' || true)" || fail "a failed pack left x.bundle or its temp file"

step "nothing a reader would refuse is written: sequences beyond 2^53, years beyond 9999"
expect_fail 2 "--sequence" airlock pack "oci:$images/sample:1.0" -o big.bundle --sign-key k.key --channel c --sequence 9007199254740993
SOURCE_DATE_EPOCH=253402300800 expect_fail 2 "past the year 9999" airlock pack "oci:$images/sample:1.0" -o big.bundle --sign-key k.key
expect_fail 2 "past the year 9999" airlock pack "oci:$images/sample:1.0" -o big.bundle --sign-key k.key --expires 3000000d
test ! -e big.bundle || fail "a refused pack wrote big.bundle"

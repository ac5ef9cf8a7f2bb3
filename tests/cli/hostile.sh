# Every kind of hostile or damaged bundle is refused with its exit code and a one-line message
# naming the problem, and leaves the store byte-for-byte as it was.
. "$(dirname "$0")/common.sh"

make_key k
make_key other
airlock pack "oci:$images/sample:1.0" -o good.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" oci:"$images/multi:ltsc" -o plain.bundle --sign-key k.key \
    --compression none -q > /dev/null
airlock import good.bundle --to oci:store --trusted-key k.pub -q > /dev/null
snapshot=$(tree_digest store)

# refused CODE PATTERN BUNDLE [IMPORT OPTIONS]: import must fail so and leave the store alone.
refused() {
    code=$1
    pattern=$2
    bundle=$3
    shift 3
    expect_fail "$code" "$pattern" airlock import "$bundle" --to oci:store "$@"
    assert_eq "$(tree_digest store)" "$snapshot" "store after importing $bundle"
    test -z "$(ls store/.airlock | grep -v -e '^lock$' -e '^imports.json$' || true)" || fail "staging left behind"
}

step "a flipped byte in a layer"
$tamper plain.bundle flipped.bundle flip-layer
refused 4 "blob sha256:[0-9a-f]{64} .*does not match its digest" flipped.bundle --trusted-key k.pub
expect_fail 4 "does not match its digest" airlock verify flipped.bundle --trusted-key k.pub
zstd -q -19 flipped.bundle -o flipped.bundle.zst
refused 4 "does not match its digest" flipped.bundle.zst --trusted-key k.pub

step "a flipped byte in the compressed stream"
size=$(stat -c %s good.bundle)
cp good.bundle corrupt.bundle
damage_byte corrupt.bundle $((size / 2))
refused 4 "corrupt|does not match|checksum|truncated" corrupt.bundle --trusted-key k.pub

step "a truncated bundle"
head -c $((size / 2)) good.bundle > truncated.bundle
refused 4 "truncated|corrupt|Truncated" truncated.bundle --trusted-key k.pub
head -c $(($(stat -c %s plain.bundle) - 4096)) plain.bundle > truncated-plain.bundle
refused 4 "truncated|Truncated|missing" truncated-plain.bundle --trusted-key k.pub

step "bundle.json edited after signing"
$tamper plain.bundle edited.bundle edit-manifest
refused 5 "altered after signing" edited.bundle --trusted-key k.pub
expect_fail 5 "altered after signing" airlock verify edited.bundle --trusted-key k.pub

step "unknown key, no key, unsigned-but-forced"
refused 5 "no signature by a trusted key" good.bundle --trusted-key other.pub
refused 5 "no trusted keys" good.bundle --trusted-keys-dir "$t/none"
expect_fail 5 "no signature by a trusted key" airlock verify good.bundle --trusted-key other.pub

step "unsafe entries"
for kind in dotdot absolute symlink hardlink chardev directory; do
    $tamper plain.bundle "$kind.bundle" add-entry "$kind"
done
refused 4 "contains '\.\.' \(path traversal\)" dotdot.bundle --trusted-key k.pub
refused 4 "has an absolute path" absolute.bundle --trusted-key k.pub
refused 4 "is a symbolic link; bundles hold regular files only" symlink.bundle --trusted-key k.pub
refused 4 "is a hard link" hardlink.bundle --trusted-key k.pub
refused 4 "is a device or special file" chardev.bundle --trusted-key k.pub
refused 4 "is a directory" directory.bundle --trusted-key k.pub
test ! -e /tmp/airlock-absolute-entry || fail "an absolute entry was written"

step "blobs that do not match bundle.json"
$tamper plain.bundle unlisted.bundle unlisted-blob
refused 4 "is not listed in bundle.json" unlisted.bundle --trusted-key k.pub
$tamper plain.bundle dropped.bundle drop-blob
refused 4 "listed blob sha256:[0-9a-f]{64} is missing" dropped.bundle --trusted-key k.pub
$tamper plain.bundle shrunk.bundle shrink-blob
refused 4 "bytes in the stream, bundle.json says" shrunk.bundle --trusted-key k.pub
$tamper plain.bundle duplicate.bundle duplicate-blob
refused 4 "duplicate entry 'blobs/sha256/" duplicate.bundle --trusted-key k.pub

step "verify reports every problem, not just the first"
$tamper flipped.bundle flipped-dropped.bundle drop-blob 2> /dev/null || true
$tamper plain.bundle two.bundle flip-layer
$tamper two.bundle two.bundle unlisted-blob
expect_fail 4 "2 problem\(s\)" airlock verify two.bundle --trusted-key k.pub
grep -q "does not match its digest" err || fail "first problem not listed"
grep -q "is not listed in bundle.json" err || fail "second problem not listed"

step "verify stops at the first entry that cannot belong, however many follow"
cp plain.bundle flood.bundle
python3 - << 'PY'
import io, os, tarfile
truncate = open("big.zero", "wb")
truncate.truncate(1 << 30)
truncate.close()
with tarfile.open("flood.bundle", "a:", format=tarfile.PAX_FORMAT) as tar:
    for i in range(20000):
        tar.addfile(tarfile.TarInfo("blobs/sha256/extra%d" % i), io.BytesIO(b""))
    with open("big.zero", "rb") as f:
        tar.addfile(tar.gettarinfo("big.zero", "blobs/sha256/huge"), f)
os.remove("big.zero")
PY
zstd -q -1 --rm flood.bundle -o flood.bundle.zst
start=$(date +%s)
expect_fail 4 "flood.bundle.zst FAILED verification: 1 problem\(s\)" airlock verify flood.bundle.zst --trusted-key k.pub
grep -q "blob blobs/sha256/extra0 is not listed in bundle.json" err || fail "the first unlisted entry is not named"
[ $(($(date +%s) - start)) -lt 20 ] || fail "verify read on past an entry that cannot belong"
rm flood.bundle.zst

step "not a bundle at all"
head -c 10000 /dev/urandom > random.bundle
refused 4 "not a tar|not an airlock bundle" random.bundle --trusted-key k.pub
tar -cf other.tar -C "$images/sample" oci-layout
refused 4 "not an airlock bundle" other.tar --trusted-key k.pub
expect_fail 1 "cannot open" airlock import missing.bundle --to oci:store --trusted-key k.pub

step "--insecure-skip-signature imports an untrusted but intact bundle, still checking digests"
refused 4 "does not match its digest" flipped.bundle --insecure-skip-signature
airlock import plain.bundle --to oci:store --insecure-skip-signature > skip.txt 2> skip.err
grep -q "WITHOUT checking its signature" skip.err || fail "no warning for a skipped signature"

step "a failed import into a new store leaves no store behind"
expect_fail 4 "does not match its digest" airlock import flipped.bundle --to oci:fresh --trusted-key k.pub
test ! -e fresh || fail "a failed import created oci:fresh"

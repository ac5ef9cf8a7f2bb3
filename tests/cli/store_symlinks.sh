# The OCI store is never written through a symlink: a symlinked .airlock, blobs or blobs/sha256
# is refused (exit 1, naming it) with nothing written where it points, and a blob file that is a
# symlink or has the wrong size counts as absent, so a re-import replaces it with the real blob.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" --channel c --sequence 1 -o s.bundle --sign-key k.key -q > /dev/null
airlock import s.bundle --to oci:good --trusted-key k.pub -q > /dev/null
# A layer blob of the store (the largest file), by name.
name=$(basename "$(find good/blobs/sha256 -type f -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)")

# refused_through DIR-IN-STORE: replaces it by a symlink to an outside directory holding a copy,
# and checks that import refuses and changes neither the store nor the symlink's target. The
# store lacks a layer, so an import would write one.
refused_through() {
    rm -rf store elsewhere
    cp -a good store
    rm "store/blobs/sha256/$name"
    mkdir elsewhere
    cp -a "store/$1/." elsewhere/
    rm -rf "store/${1:?}"
    ln -s "$t/elsewhere" "store/$1"
    before_store=$(tree_digest store)
    before_target=$(tree_digest elsewhere)
    expect_fail 1 "store/$1 is a symbolic link; refusing to write through it" \
        airlock import s.bundle --to oci:store --trusted-key k.pub
    assert_eq "$(tree_digest store)" "$before_store" "store after refusing a symlinked $1"
    assert_eq "$(tree_digest elsewhere)" "$before_target" "target of the symlinked $1"
    [ -L "store/$1" ] || fail "the symlink store/$1 was replaced"
}

step "a symlinked blobs/sha256, blobs or .airlock is refused"
refused_through blobs/sha256
refused_through blobs
refused_through .airlock

step "a fresh store behind a symlinked .airlock is refused before anything is written"
rm -rf fresh elsewhere && mkdir fresh elsewhere
ln -s "$t/elsewhere" fresh/.airlock
expect_fail 1 "fresh/.airlock is a symbolic link" airlock import s.bundle --to oci:fresh --trusted-key k.pub
test -z "$(ls -A elsewhere)" || fail "import wrote into the symlink target: $(ls -A elsewhere)"
assert_eq "$(ls -A fresh)" ".airlock" "the store after refusing"

step "a blob replaced by a symlink to another file is rewritten"
rm -rf store && cp -a good store
echo "not the blob" > decoy
ln -sf "$t/decoy" "store/blobs/sha256/$name"
airlock import s.bundle --to oci:store --trusted-key k.pub -q > /dev/null
if [ -L "store/blobs/sha256/$name" ] || [ ! -f "store/blobs/sha256/$name" ]; then
    fail "the blob is still a symlink"
fi
assert_eq "$(sha256sum < "store/blobs/sha256/$name" | cut -d' ' -f1)" "$name" "content of the restored blob"
assert_eq "$(cat decoy)" "not the blob" "the symlink's target"

step "a truncated blob is rewritten"
truncate -s 10 "store/blobs/sha256/$name"
airlock import s.bundle --to oci:store --trusted-key k.pub -q > /dev/null
assert_eq "$(sha256sum < "store/blobs/sha256/$name" | cut -d' ' -f1)" "$name" "content of the restored blob"
assert_eq "$(find store -type l | wc -l)" 0 "symlinks left in the store"

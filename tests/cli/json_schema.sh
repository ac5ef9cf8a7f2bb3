# Every command's --json output, success and failure, matches its schema in docs/schema/ (the
# same names for the same things everywhere); and the text summaries that go with them: pack
# --since says what it left out, inspect says parts, what a differential bundle needs, expiry.
. "$(dirname "$0")/common.sh"

# json NAME CODE FILE COMMAND...: COMMAND exits with CODE; its stdout (FILE) matches NAME.
json() {
    name=$1 want=$2 file=$3
    shift 3
    code=0
    "$@" > "$file" 2> "$file.err" || code=$?
    assert_eq "$code" "$want" "exit code of $*"
    check_json "$name" "$file"
}

step "key generate"
json key 0 key.json airlock key generate -o k --json
json key 2 key-usage.json airlock key generate -o k --type rsa --json
json key 2 key-exists.json airlock key generate -o k --json

step "pack: whole, split, differential; failures"
mkdir store
json pack 0 pack.json airlock pack "oci:$images/sample:1.0" "oci:$images/multi:ltsc" --all-platforms \
    -o b.bundle --sign-key k.key --expires 30d --channel monthly --sequence 3 --json
json pack 0 split.json airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" -o s.bundle \
    --sign-key k.key --split 1M --json
jq -e '.partsFile == "s.bundle.parts.json" and (.parts | length) == 3 and .parts[0].name == "s.bundle.001"' split.json > /dev/null ||
    fail "pack --split --json does not list the parts: $(cat split.json)"
airlock import "$images/../nothing" --to oci:x 2> /dev/null && fail "import of nothing exited 0"
airlock import b.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock inventory --store oci:site -o inv.json -q
json pack 0 diff.json airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" --since inv.json \
    -o d.bundle --sign-key k.key --json
jq -e '.required.blobs > 0 and .required.bytes > 0' diff.json > /dev/null || fail "pack --since --json: $(cat diff.json)"
airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" --since inv.json -o d2.bundle --sign-key k.key > diff.txt
grep -Eq "^left out [0-9]+ blobs \(.*\) that the site holds" diff.txt || fail "pack --since does not say what it left out: $(cat diff.txt)"
json pack 3 pack-net.json airlock pack nosuch.invalid/x:1 -o n.bundle --sign-key k.key --json
json usage 2 pack-usage.json airlock pack --nosuch --json
json pack 2 pack-split.json airlock pack "oci:$images/sample:1.0" -o t.bundle --sign-key k.key --split 10 --json

step "inspect: whole, split, differential, checked signatures; the text says the same"
json inspect 0 inspect.json airlock inspect b.bundle --json
jq -e '.expired == false and .channel == "monthly" and .sequence == 3 and .signers[0].cosignature == false' inspect.json > /dev/null ||
    fail "inspect --json: $(cat inspect.json)"
json inspect 0 inspect-keys.json airlock inspect b.bundle --trusted-key k.pub --json
jq -e '.signers[0].trusted == true' inspect-keys.json > /dev/null || fail "inspect --json with keys: $(cat inspect-keys.json)"
json inspect 0 inspect-split.json airlock inspect s.bundle --json
assert_eq "$(jq '.parts | length' inspect-split.json)" 3 "parts in inspect --json"
assert_eq "$(jq -r .sha256 inspect-split.json)" "$(cat s.bundle.0* | sha256sum | cut -d' ' -f1)" "the whole stream's SHA-256"
assert_eq "$(jq -r .bundleBytes inspect-split.json)" "$(cat s.bundle.0* | wc -c)" "the whole stream's size"
airlock inspect s.bundle > inspect-split.txt
grep -q "^Parts:     split into 3 parts" inspect-split.txt || fail "inspect does not say how many parts: $(cat inspect-split.txt)"
json inspect 0 inspect-diff.json airlock inspect d.bundle --json
jq -e '.required.blobs > 0' inspect-diff.json > /dev/null || fail "inspect --json of a differential bundle: $(cat inspect-diff.json)"
airlock inspect d.bundle > inspect-diff.txt
grep -Eq "^Requires:  differential: needs [0-9]+ blobs" inspect-diff.txt || fail "inspect does not say what the bundle needs: $(cat inspect-diff.txt)"
airlock inspect b.bundle > inspect.txt
grep -Eq "^Expires:   .* \(in 29 days\)" inspect.txt || fail "inspect does not show the expiry state: $(cat inspect.txt)"
grep -q "^Dated:     .*content time" inspect.txt || fail "inspect does not label the content time: $(cat inspect.txt)"
SOURCE_DATE_EPOCH=1000000000 airlock pack "oci:$images/sample:1.0" -o old.bundle --sign-key k.key --expires 1d -q > /dev/null
airlock inspect old.bundle > old.txt
grep -Eq "^Expires:   .* \(EXPIRED [0-9]+ days ago\)" old.txt || fail "inspect does not say the bundle expired: $(cat old.txt)"
json inspect 0 old.json airlock inspect old.bundle --json
assert_eq "$(jq .expired old.json)" true "expired in inspect --json"
json inspect 0 inspect-layers.json airlock inspect d.bundle --layers --json
jq -e '[.images[].layers[] | select(.in == "required")] | length > 0' inspect-layers.json > /dev/null ||
    fail "inspect --layers does not mark the layers a differential bundle left out: $(cat inspect-layers.json)"
jq -e '[.images[].layers[] | select(.in == "bundle" and .foreign == false and (.digest | startswith("sha256:")))] | length > 0' \
    inspect-layers.json > /dev/null || fail "inspect --layers: $(cat inspect-layers.json)"
json inspect 0 inspect-multi.json airlock inspect b.bundle --layers --json
assert_eq "$(jq -r '[.images[1].layers[].platform] | unique | join(" ")' inspect-multi.json)" \
    "linux/amd64 linux/arm64 windows/amd64:10.0.17763.6532 windows/amd64:10.0.20348.2849" "platforms of the multi image's layers"
airlock inspect d.bundle --layers > layers.txt
grep -q "^Layers of localhost/sample:" layers.txt || fail "inspect --layers text: $(cat layers.txt)"
grep -Eq "sha256:[0-9a-f]{12} .* no +required$" layers.txt || fail "inspect --layers text: $(cat layers.txt)"
json inspect 4 inspect-bad.json airlock inspect key.json --json

step "verify: whole, split (complete, missing parts), failures"
json verify 0 verify.json airlock verify b.bundle --trusted-key k.pub --json
json verify 0 verify-split.json airlock verify s.bundle --trusted-key k.pub --json
mkdir stick && mv s.bundle.003 stick/
json verify 1 verify-missing.json airlock verify s.bundle --trusted-key k.pub --json
json verify 0 verify-partial.json airlock verify s.bundle --trusted-key k.pub --partial --json
mv stick/s.bundle.003 .
json verify 6 verify-expired.json airlock verify old.bundle --trusted-key k.pub --json
make_key other
json verify 5 verify-untrusted.json airlock verify b.bundle --trusted-key other.pub --json
cp b.bundle broken.bundle
printf 'XXXX' | dd of=broken.bundle bs=1 seek=20000 conv=notrunc 2> /dev/null
json verify 4 verify-broken.json airlock verify broken.bundle --trusted-key k.pub --json

step "sign"
make_key second
json sign 0 sign.json airlock sign b.bundle --key second.key --trusted-key k.pub --json
json sign 0 sign-again.json airlock sign b.bundle --key second.key --trusted-key k.pub --json
assert_eq "$(jq .alreadySigned sign-again.json)" true
json sign 5 sign-untrusted.json airlock sign b.bundle --key second.key --trusted-key other.pub --json

step "import, images, inventory"
json import 0 import.json airlock import s.bundle --to oci:site --trusted-key k.pub --json
jq -e '.images[0].tagActions | length > 0' import.json > /dev/null || fail "import --json has no tag actions: $(cat import.json)"
json import 5 import-untrusted.json airlock import b.bundle --to oci:site2 --trusted-key other.pub --json
json images 0 images.json airlock images --store oci:site --json
jq -e '[.images[] | select(.name == "localhost/sample")] | length == 2' images.json > /dev/null ||
    fail "images --json does not group tags per image: $(cat images.json)"
json images 1 images-missing.json airlock images --store oci:nowhere --json
json inventory 0 inventory.json airlock inventory --store oci:site -o inv2.json --json
json inventory 1 inventory-missing.json airlock inventory --store oci:nowhere -o inv3.json --json
airlock inventory --store oci:site -o - > inv-stdout.json
cmp -s inv-stdout.json inv2.json || fail "inventory -o - is not the inventory"
test ! -e ./- || fail "inventory -o - wrote a file named -"
json usage 2 inventory-usage.json airlock inventory --store oci:site -o - --json

step "a result that cannot be written is a failure, not a success"
expect_fail 1 "cannot write the result to stdout" sh -c "\"$AIRLOCK\" images --store oci:site --json > /dev/full"
expect_fail 1 "cannot write the inventory to stdout" sh -c "\"$AIRLOCK\" inventory --store oci:site -o - > /dev/full"

step "-o of a pipe or device: the inventory is written into it; pack refuses it"
mkfifo pipe
cat pipe > from-pipe.json &
airlock inventory --store oci:site -o pipe -q
wait
cmp -s from-pipe.json inv2.json || fail "inventory -o FIFO"
test -p pipe || fail "inventory -o replaced the FIFO"
expect_fail 1 "cannot write the inventory to /dev/full" airlock inventory --store oci:site -o /dev/full
test -c /dev/full || fail "inventory -o replaced /dev/full"
expect_fail 2 "-o pipe is not a regular file" airlock pack "oci:$images/sample:1.0" -o pipe --sign-key k.key
test -p pipe || fail "pack -o replaced the FIFO"

step "store lifecycle: rm, prune, fsck, export"
json export 0 export.json airlock export localhost/sample:1.0 -o sample.tar --store oci:site --json
json export 1 export-missing.json airlock export localhost/sample:9 -o none.tar --store oci:site --json
json fsck 0 fsck.json airlock fsck --store oci:site --json
json fsck 1 fsck-missing.json airlock fsck --store oci:nowhere --json
json prune 0 prune.json airlock prune --dry-run --keep 1 --store oci:site --json
json prune 2 prune-usage.json airlock prune --older-than x --store oci:site --json
json rm 1 rm-missing.json airlock rm localhost/sample:9 --store oci:site --json
json rm 0 rm.json airlock rm localhost/sample:1.0 --store oci:site --json

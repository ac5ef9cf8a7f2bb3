# Hostile documents cost bounded memory and never crash airlock: bundle.json is parsed only
# once its signature checks out, every JSON document is bounded in size, depth and elements,
# wrongly-typed fields are errors, derived file names are plain, side files must be regular
# files, and names are validated and printed escaped.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o plain.bundle --sign-key k.key --compression none -q > /dev/null
forge="python3 $AIRLOCK_SOURCE/tests/cli/forge.py"

# Peak resident memory of `airlock ARGS` in MiB. Measured above what the same binary needs to
# print its version, because a sanitizer build alone takes over 100 MiB; without the
# sanitizer's quarantine, so that freed memory is not counted as held.
peak_mib() {
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0" /usr/bin/time -f %M -o rss.txt \
        "$AIRLOCK" "$@" > /dev/null 2>&1 || true
    echo $(($(tail -1 rss.txt) / 1024))
}
idle=$(peak_mib --version)

# bounded MIB CODE PATTERN ARGS...: `airlock ARGS` fails with CODE and PATTERN, and its peak
# resident memory stays under MIB.
bounded() {
    limit=$1
    code=$2
    pattern=$3
    shift 3
    expect_fail "$code" "$pattern" airlock "$@"
    rss=$(($(peak_mib "$@") - idle))
    echo "peak RSS ${rss} MiB above idle: airlock $*"
    [ "$rss" -lt "$limit" ] || fail "airlock $* peaked at $rss MiB (limit $limit)"
}

step "64 MiB of '[' as bundle.json: refused by size, unparsed"
python3 -c 'import sys; sys.stdout.write("[" * (64 << 20))' > deep64.json
$forge plain.bundle deep64.bundle - raw deep64.json
bounded 100 4 "bundle.json is [0-9]+ bytes, more than the limit" verify deep64.bundle --trusted-key k.pub
bounded 100 4 "more than the limit" inspect deep64.bundle

step "15 MiB of '[' or of '0,': refused by the signature before parsing, by shape in inspect"
python3 -c 'import sys; sys.stdout.write("[" * (15 << 20))' > deep15.json
$forge plain.bundle deep15.bundle - raw deep15.json
bounded 100 5 "does not match bundle.json \(it was altered after signing\)" \
    verify deep15.bundle --trusted-key k.pub
bounded 100 5 "altered after signing" import deep15.bundle --to oci:store --trusted-key k.pub
bounded 100 4 "nests arrays/objects more than 64 deep" inspect deep15.bundle
python3 -c 'import sys; sys.stdout.write("[" + "0," * (15 << 19) + "0]")' > wide.json
$forge plain.bundle wide.bundle - raw wide.json
bounded 100 5 "altered after signing" verify wide.bundle --trusted-key k.pub
bounded 100 4 "more than [0-9]+ JSON elements" inspect wide.bundle
test ! -e store || fail "a refused import created the store"

step "signed yet hostile: deep nesting and wrong types are format errors, not crashes"
python3 -c 'import sys; sys.stdout.write("[" * 200000 + "]" * 200000)' > deep200k.json
$forge plain.bundle signed-deep.bundle k.key raw deep200k.json
expect_fail 4 "nests arrays/objects more than 64 deep" airlock verify signed-deep.bundle --trusted-key k.pub
$forge plain.bundle version-string.bundle k.key field formatVersion '"1"'
expect_fail 4 "missing formatVersion" airlock verify version-string.bundle --trusted-key k.pub
$forge plain.bundle sequence-string.bundle k.key field sequence '"5"'
expect_fail 4 "\"sequence\" is not a non-negative integer" airlock verify sequence-string.bundle --trusted-key k.pub
$forge plain.bundle images-object.bundle k.key field images '{"a": 1}'
expect_fail 4 "missing images array" airlock verify images-object.bundle --trusted-key k.pub

step "names and tags from bundle.json are validated like --tag"
$forge plain.bundle bad-tag.bundle k.key image-field tags '["1.0\n"]'
expect_fail 4 "has an invalid tag" airlock import bad-tag.bundle --to oci:store --trusted-key k.pub
$forge plain.bundle dotdot-name.bundle k.key image-field name '"localhost/../../etc"'
expect_fail 4 "is not a fully qualified repository name" airlock verify dotdot-name.bundle --trusted-key k.pub
$forge plain.bundle escape-tag.bundle k.key image-field tags '["\u001b]0;owned\u0007"]'
expect_fail 4 "has an invalid tag '\\\\x1b\]0;owned\\\\x07'" airlock verify escape-tag.bundle --trusted-key k.pub
if grep -q "$(printf '\033')" err; then fail "an escape character reached the terminal"; fi
$forge plain.bundle empty-version.bundle k.key image-field version '"../x"'
expect_fail 4 "has an invalid version" airlock verify empty-version.bundle --trusted-key k.pub
test ! -e store || fail "a refused import created the store"

step "inspect: unsigned claims are escaped and said to be unchecked"
$forge plain.bundle evil-tool.bundle - field tool '"\u001b]0;pwned\u0007\u001b[2J\u202eevil"'
airlock inspect evil-tool.bundle > inspect.txt
if grep -q "$(printf '\033')" inspect.txt; then fail "inspect printed a raw escape character"; fi
grep -q 'by \\x1b\]0;pwned\\x07\\x1b\[2J\\u{202e}evil' inspect.txt || fail "the tool name was not shown escaped"
grep -q "): signature not checked" inspect.txt || fail "inspect did not say the signature is unchecked"
if grep -q "^Signed by" inspect.txt; then fail "inspect claims who signed"; fi
expect_fail 5 "altered after signing" airlock inspect evil-tool.bundle --trusted-key k.pub
airlock inspect plain.bundle --trusted-key k.pub > checked.txt
grep -q "): valid, trusted key" checked.txt || fail "inspect with a key did not check the signature"
assert_eq "$(airlock inspect evil-tool.bundle --json | jq .signaturesChecked)" false "signaturesChecked"

step "parts files: wrong types and deep nesting are errors, the bundle name is a plain file name"
mkdir split
airlock pack "oci:$images/sample:1.0" -o split/s.bundle --sign-key k.key --split 1M -q > /dev/null
cp split/s.bundle.parts.json good.parts.json
for edit in '.manifest.format = 1' '.manifest.formatVersion = "1"' '.manifest.parts = 5' \
    '.manifest.parts[0].size = "9"' '.signatures = [1]'; do
    jq "$edit" good.parts.json > split/s.bundle.parts.json
    expect_fail 4 "parts file|signatures.json" airlock verify split/s.bundle.parts.json --trusted-key k.pub
done
python3 -c 'import sys; sys.stdout.write("[" * 200000 + "]" * 200000)' > split/s.bundle.parts.json
expect_fail 4 "nests arrays/objects more than 64 deep" airlock verify split/s.bundle.parts.json --trusted-key k.pub
mkdir elsewhere
jq '.manifest.bundle = "../elsewhere/x"' good.parts.json > split/s.bundle.parts.json
expect_fail 4 "bundle name '../elsewhere/x' is not a plain file name" \
    airlock verify split/s.bundle.parts.json --trusted-key k.pub
expect_fail 4 "not a plain file name" airlock import split/s.bundle.parts.json --to oci:store --trusted-key k.pub
cp good.parts.json split/s.bundle.parts.json
airlock verify split/s.bundle.parts.json --trusted-key k.pub -q > /dev/null

step "a FIFO as a side file is refused at once, not waited on"
# Windows has no FIFOs in its file systems (its named pipes live in \\.\pipe\ only).
if [ -z "$airlock_windows" ]; then
    mkfifo plain.bundle.cosign.json
    start=$(date +%s)
    expect_fail 1 "plain.bundle.cosign.json is not a regular file" timeout 20 "$AIRLOCK" verify plain.bundle --trusted-key k.pub
    [ $(($(date +%s) - start)) -lt 10 ] || fail "verify waited on a FIFO"
    rm plain.bundle.cosign.json
    mkfifo fifo.pub
    expect_fail 1 "fifo.pub is not a regular file" timeout 20 "$AIRLOCK" verify plain.bundle --trusted-key fifo.pub
fi

step "a hostile store: names are printed escaped, shared documents are read once"
airlock import plain.bundle --to oci:st --trusted-key k.pub -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o two.bundle --sign-key k.key -q > /dev/null
airlock import two.bundle --to oci:st --trusted-key k.pub -q > /dev/null
jq '(.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "localhost/sample:latest")
    | .annotations["org.opencontainers.image.version"]) = "99.\u001b]0;PWNED\u0007\u001b[2J"' \
    st/index.json > index.tmp && mv index.tmp st/index.json
airlock import plain.bundle --to oci:st --trusted-key k.pub > import.txt 2> import.err
if grep -q "$(printf '\033')" import.txt import.err; then fail "import printed a raw escape character"; fi
grep -q 'latest stays at the newer version 99.\\x1b\]0;PWNED' import.txt || fail "the kept note is missing"
python3 - << 'PY'
import hashlib, json
index = json.load(open("st/index.json"))
child = next(m for m in index["manifests"] if m["mediaType"].endswith("manifest.v1+json"))
child = {k: child[k] for k in ("mediaType", "digest", "size")}
doc = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                  "manifests": [child] * 3000}, separators=(",", ":")).encode()
digest = hashlib.sha256(doc).hexdigest()
open("st/blobs/sha256/" + digest, "wb").write(doc)
index["manifests"] += [{"mediaType": "application/vnd.oci.image.index.v1+json",
                        "digest": "sha256:" + digest, "size": len(doc),
                        "annotations": {"org.opencontainers.image.ref.name": "localhost/many:t%d" % i}}
                       for i in range(3000)]
json.dump(index, open("st/index.json", "w"))
PY
start=$(date +%s)
timeout 60 "$AIRLOCK" images --store oci:st > images.txt || fail "images did not finish on a store naming one index 3000 times"
echo "images of 3000 tags of a 3000-child index: $(($(date +%s) - start)) s"
assert_eq "$(grep -c '^localhost/many' images.txt)" 3000 "listed tags"

# verify --against INVENTORY on the connected side: would the bundle import at the site the
# inventory describes? The blobs a differential bundle needs, and the channel's sequence.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o v1.bundle --sign-key k.key --channel m --sequence 1 -q > /dev/null
airlock import v1.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock inventory --store oci:site -o inv.json -q
assert_eq "$(jq '.channels.m.sequence' inv.json)" 1 "the inventory's channel mark"
airlock pack "oci:$images/sample:2.0" -o v2.bundle --sign-key k.key --channel m --sequence 2 --since inv.json -q > /dev/null

step "a later differential bundle whose blobs the site holds: would import"
airlock verify v2.bundle --trusted-key k.pub --against inv.json > ok.txt
grep -q "against:   inv.json (oci:.*site): would import" ok.txt || fail "$(cat ok.txt)"
grep -Eq "required:  ([0-9]+) of \1 blobs" ok.txt || fail "required blobs not counted: $(cat ok.txt)"
grep -q "channel:   channel m #2, the site's #1: ahead" ok.txt || fail "$(cat ok.txt)"
airlock verify v2.bundle --trusted-key k.pub --against inv.json --json > ok.json
check_json verify ok.json
jq -e '.against.importable == true and .against.channel == "ahead" and .against.siteSequence == 1' ok.json > /dev/null || fail "$(cat ok.json)"

step "the bundle the site imported last: would import, changes nothing"
airlock verify v1.bundle --trusted-key k.pub --against inv.json | grep -q "imported this bundle already" || fail "same bundle"

step "another bundle of the same sequence, an older one, one whose blobs the site lacks: refused"
airlock pack "oci:$images/sample:2.0" -o other1.bundle --sign-key k.key --channel m --sequence 1 -q > /dev/null
expect_fail 6 "the site imported another bundle with this sequence" \
    airlock verify other1.bundle --trusted-key k.pub --against inv.json
airlock import v2.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock inventory --store oci:site -o inv2.json -q
expect_fail 6 "channel m #1, the site's #2: older than the site's" \
    airlock verify v1.bundle --trusted-key k.pub --against inv2.json
airlock import v1.bundle --to oci:bare --trusted-key k.pub -q > /dev/null
rm -rf bare/blobs/sha256/* && printf '{"schemaVersion":2,"manifests":[]}' > bare/index.json
airlock inventory --store oci:bare -o bare.json -q
expect_fail 1 "the site lacks sha256:[0-9a-f]{64}, which the bundle needs" \
    airlock verify v2.bundle --trusted-key k.pub --against bare.json
airlock verify v2.bundle --trusted-key k.pub --against bare.json --json > missing.json || true
check_json verify missing.json
jq -e '.ok == false and .exitCode == 1 and .error.class == "not_found" and (.against.missing | length) > 0' missing.json > /dev/null || fail "$(cat missing.json)"
echo '{"format":"something"}' > notinv.json
expect_fail 4 "notinv.json is not an airlock inventory" airlock verify v2.bundle --trusted-key k.pub --against notinv.json
expect_fail 2 "--against judges the whole bundle: leave out --partial" \
    airlock verify v2.bundle --trusted-key k.pub --against inv.json --partial
expect_fail 1 "cannot open .*nowhere.json" airlock verify v2.bundle --trusted-key k.pub --against nowhere.json

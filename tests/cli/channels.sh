# Channels and expiry: a replayed older bundle and a different bundle with the same sequence are
# refused (exit 6) unless --allow-downgrade; an expired bundle is refused unless --allow-expired;
# refusals leave the store unchanged.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" --channel monthly --sequence 5 -o s5.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" --channel monthly --sequence 6 -o s6.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/multi:ltsc" --channel monthly --sequence 6 -o s6-other.bundle --sign-key k.key -q > /dev/null
airlock inspect s5.bundle --json | jq -e '.channel == "monthly" and .sequence == 5' > /dev/null

step "sequences move forward only"
airlock import s5.bundle --to oci:store --trusted-key k.pub -q > /dev/null
airlock import s6.bundle --to oci:store --trusted-key k.pub -q > /dev/null
jq -e '.monthly.sequence == 6' store/.airlock/channels.json > /dev/null
snapshot=$(tree_digest store)
expect_fail 6 "channel 'monthly' is at sequence 6 in this store; this bundle is 5 .*rollback refused" \
    airlock import s5.bundle --to oci:store --trusted-key k.pub
expect_fail 6 "channel 'monthly' sequence 6 was imported from a different bundle" \
    airlock import s6-other.bundle --to oci:store --trusted-key k.pub
assert_eq "$(tree_digest store)" "$snapshot" "store after refused bundles"
airlock import s6.bundle --to oci:store --trusted-key k.pub -q > /dev/null # the same bundle again is fine
airlock import s5.bundle --to oci:store --trusted-key k.pub --allow-downgrade -q > /dev/null
jq -e '.monthly.sequence == 6' store/.airlock/channels.json > /dev/null || fail "a forced downgrade lowered the mark"
expect_fail 2 "--sequence requires --channel" airlock pack "oci:$images/sample:1.0" --sequence 3 -o x.bundle --sign-key k.key

step "expiry"
SOURCE_DATE_EPOCH=1000000000 airlock pack "oci:$images/sample:1.0" --expires 45d -o old.bundle --sign-key k.key -q > /dev/null
assert_eq "$(airlock inspect old.bundle --json | jq -r .expires)" "2001-10-24T01:46:40Z"
expect_fail 6 "the bundle expired at 2001-10-24T01:46:40Z" airlock import old.bundle --to oci:fresh --trusted-key k.pub
test ! -e fresh || fail "an expired bundle created a store"
airlock import old.bundle --to oci:fresh --trusted-key k.pub --allow-expired -q > /dev/null
# verify and sign apply the same rule (exit 6), with the same way out.
expect_fail 6 "the bundle expired at 2001-10-24T01:46:40Z .*--allow-expired" airlock verify old.bundle --trusted-key k.pub
airlock verify old.bundle --trusted-key k.pub --allow-expired -q > /dev/null
make_key second
expect_fail 6 "the bundle expired at" airlock sign old.bundle --key second.key --trusted-key k.pub
test ! -e old.bundle.cosign.json || fail "an expired bundle was co-signed"
airlock pack "oci:$images/sample:1.0" --expires 30d -o new.bundle --sign-key k.key -q > /dev/null
airlock import new.bundle --to oci:fresh2 --trusted-key k.pub -q > /dev/null
expect_fail 2 "invalid --expires '3w'" airlock pack "oci:$images/sample:1.0" --expires 3w -o x.bundle --sign-key k.key
expect_fail 2 "invalid --expires '45': give a number and a unit" airlock pack "oci:$images/sample:1.0" --expires 45 -o x.bundle --sign-key k.key

step "an unusable ledger refuses channel bundles (exit 6), unchanged, until repaired"
airlock pack "oci:$images/sample:1.0" --channel weekly --sequence 2 -o w2.bundle --sign-key k.key -q > /dev/null
airlock import w2.bundle --to oci:store --trusted-key k.pub -q > /dev/null
jq -e '.monthly.sequence == 6 and .weekly.sequence == 2' store/.airlock/channels.json > /dev/null
cp store/.airlock/channels.json good-ledger.json
for damage in garbage strings wrong-types oversized; do
    case $damage in
    garbage) printf '{"monthly": {"sequ' > store/.airlock/channels.json ;;
    strings) echo '["monthly", "6"]' > store/.airlock/channels.json ;;
    wrong-types) jq '.monthly.sequence = "6"' good-ledger.json > store/.airlock/channels.json ;;
    oversized) { cat good-ledger.json; head -c 5000000 /dev/zero | tr '\0' ' '; } > store/.airlock/channels.json ;;
    esac
    ledger=$(sha256sum < store/.airlock/channels.json)
    snapshot=$(tree_digest store)
    expect_fail 6 "channel ledger .*store${sep}.airlock${sep}channels.json cannot be used .*restore it from a backup, or remove it deliberately" \
        airlock import s5.bundle --to oci:store --trusted-key k.pub
    expect_fail 6 "channel ledger .*cannot be used" \
        airlock import s5.bundle --to oci:store --trusted-key k.pub --allow-downgrade
    assert_eq "$(sha256sum < store/.airlock/channels.json)" "$ledger" "ledger bytes after refusing ($damage)"
    assert_eq "$(tree_digest store)" "$snapshot" "store after refusing ($damage)"
done
cp good-ledger.json store/.airlock/channels.json
airlock pack "oci:$images/sample:2.0" --channel monthly --sequence 7 -o s7.bundle --sign-key k.key -q > /dev/null
airlock import s7.bundle --to oci:store --trusted-key k.pub -q > /dev/null
jq -e '.monthly.sequence == 7 and .weekly.sequence == 2' store/.airlock/channels.json > /dev/null ||
    fail "a good import dropped another channel: $(cat store/.airlock/channels.json)"
step "a bundle without a channel does not need the ledger"
echo garbage > store/.airlock/channels.json
airlock pack "oci:$images/sample:1.0" -o plain.bundle --sign-key k.key -q > /dev/null
airlock import plain.bundle --to oci:store --trusted-key k.pub -q > /dev/null

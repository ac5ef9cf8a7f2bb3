# airlock status: the store, its size, images, channels with their sequence and last bundle,
# and the last imports (dry runs and refused imports are not imports).
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o v1.bundle --sign-key k.key --channel monthly --sequence 1 -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o v2.bundle --sign-key k.key --channel monthly --sequence 2 -q > /dev/null

step "a store that does not exist yet (the default store, here from \$AIRLOCK_STORE)"
AIRLOCK_STORE=oci:$t/fresh airlock status --json > none.json
check_json status none.json
assert_eq "$(jq .exists none.json)" false "exists"
AIRLOCK_STORE=oci:$t/fresh airlock status | grep -q "does not exist yet" || fail "status of a missing default store"
expect_fail 1 "no store at oci:nowhere" airlock status --store oci:nowhere

step "after two imports, a dry run and a refused one"
airlock import v1.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock import v2.bundle --to oci:site --trusted-key k.pub --dry-run -q > /dev/null
airlock import v2.bundle --to oci:site --trusted-key k.pub -q > /dev/null
airlock import v1.bundle --to oci:site --trusted-key k.pub -q > /dev/null 2>&1 && fail "a downgrade was imported"
airlock status --store oci:site --json > site.json
check_json status site.json
jq -e '.exists and .blobs > 0 and .contentBytes > 0 and (.images | length) == 2' site.json > /dev/null || fail "$(cat site.json)"
jq -e '.channels == [.channels[0]] and .channels[0].name == "monthly" and .channels[0].sequence == 2' site.json > /dev/null ||
    fail "channels: $(jq -c .channels site.json)"
assert_eq "$(jq '.imports | length' site.json)" 2 "imports logged"
assert_eq "$(jq -r '.imports[1].bundle' site.json)" v2.bundle "the last import"
assert_eq "$(jq -r '.imports[1].sequence' site.json)" 2 "its sequence"
airlock status --store oci:site > site.txt
grep -Eq "^Store:     oci:site \(2 images, [0-9]+ tags, [0-9]+ blobs" site.txt || fail "$(cat site.txt)"
grep -q "^Channel:   monthly #2 (bundle sha256:" site.txt || fail "$(cat site.txt)"
grep -Eq "^[0-9T:Z-]+ +v2.bundle +monthly #2 +1 " site.txt || fail "no import line: $(cat site.txt)"

step "the log keeps the last 50 imports"
for _ in $(seq 1 51); do
    airlock import v2.bundle --to oci:site --trusted-key k.pub -q > /dev/null
done
airlock status --store oci:site --json > many.json
assert_eq "$(jq '.imports | length' many.json)" 50 "imports kept"
assert_eq "$(jq '.imports[-1].changed' many.json)" false "a re-import that changed nothing"
airlock status --store oci:site | grep -Eq " no$" || fail "status does not say which imports changed nothing"

step "a damaged log is reported by status, set aside by the next import"
printf 'not json' > site/.airlock/imports.json
airlock status --store oci:site --json > damaged.json
check_json status damaged.json
jq -e '.imports == [] and (.importLogProblem | test("imports.json is damaged"))' damaged.json > /dev/null ||
    fail "a damaged log: $(cat damaged.json)"
airlock status --store oci:site | grep -q "^Last imports: unknown: .*imports.json is damaged" || fail "status text hides a damaged log"
airlock import v2.bundle --to oci:site --trusted-key k.pub -q > /dev/null 2> aside.err
grep -q "kept as .*imports.json.damaged and a new log started" aside.err || fail "no warning: $(cat aside.err)"
assert_eq "$(cat site/.airlock/imports.json.damaged)" "not json" "the damaged log kept aside"
assert_eq "$(airlock status --store oci:site --json | jq '.imports | length')" 1 "a damaged log is started afresh"

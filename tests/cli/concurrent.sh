# Concurrent imports into one store are safe: every tag lands, index.json stays valid.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o b.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/multi:ltsc" -o c.bundle --sign-key k.key -q > /dev/null

for round in 1 2 3; do
    step "round $round: four imports at once into a fresh store"
    rm -rf store
    pids=""
    for b in a b c a; do
        airlock import "$b.bundle" --to oci:store --trusted-key k.pub -q > "out-$round-$b-$$" 2>&1 &
        pids="$pids $!"
    done
    for pid in $pids; do
        wait "$pid" || fail "a concurrent import failed: $(cat out-$round-*)"
    done
    airlock images --store oci:store --json > images.json
    for ref in localhost/sample:1.0 localhost/sample:1.0.3 localhost/sample:2.0 localhost/sample:2.0.0 \
        localhost/sample:latest localhost/multi:ltsc localhost/multi:latest; do
        jq -e --arg r "$ref" '[.images[] | .name as $n | .tags[] | select($n + ":" + . == $r)] | length == 1' images.json > /dev/null ||
            fail "round $round: $ref missing or doubled"
        skopeo inspect --raw "oci:store:$ref" > /dev/null
    done
    assert_eq "$(jq '[.images[].tags[]] | length' images.json)" 7
    test -z "$(ls store/.airlock | grep -v -e '^lock$' -e '^imports.json$' || true)" || fail "staging left behind"
    assert_eq "$(jq 'length' store/.airlock/imports.json)" 4 "imports logged under the lock"
done

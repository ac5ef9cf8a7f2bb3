# Tagging: source tag, version tag, latest never moving back, --no-latest, --tag.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o v1.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o v2.bundle --sign-key k.key -q > /dev/null
v1=$(airlock inspect v1.bundle --json | jq -r '.images[0].digest')
v2=$(airlock inspect v2.bundle --json | jq -r '.images[0].digest')

tag_digest() {
    airlock images --store "oci:$1" --json | jq -r --arg t "$2" '[.images[] | select(.tags | index($t))][0].digest'
}

step "newer after older moves latest"
airlock import v1.bundle --to oci:a --trusted-key k.pub -q > /dev/null
assert_eq "$(tag_digest a latest)" "$v1"
assert_eq "$(tag_digest a 1.0.3)" "$v1"
airlock import v2.bundle --to oci:a --trusted-key k.pub -q > /dev/null
assert_eq "$(tag_digest a latest)" "$v2"

step "older after newer keeps latest"
airlock import v2.bundle --to oci:b --trusted-key k.pub -q > /dev/null
airlock import v1.bundle --to oci:b --trusted-key k.pub --json > out.json 2> err.txt
assert_eq "$(tag_digest b latest)" "$v2"
assert_eq "$(tag_digest b 1.0)" "$v1"
assert_eq "$(jq -r '.images[0].tagActions[] | select(.tag == "latest") | .action' out.json)" kept
grep -q "latest stays at the newer version 2.0.0" err.txt || fail "no explanation for keeping latest"

step "--no-latest and --tag"
airlock import v1.bundle --to oci:c --trusted-key k.pub --no-latest --tag site-approved --tag 2026-11 -q > /dev/null
assert_eq "$(tag_digest c latest)" null
assert_eq "$(tag_digest c site-approved)" "$v1"
assert_eq "$(tag_digest c 2026-11)" "$v1"
skopeo inspect oci:c:localhost/sample:site-approved > /dev/null
expect_fail 2 "invalid tag 'bad tag'" airlock import v1.bundle --to oci:c --trusted-key k.pub --tag "bad tag"

step "Windows images are tagged with their os.version"
airlock pack "oci:$images/multi:windows-amd64-17763" "oci:$images/multi:windows-amd64-20348" \
    "oci:$images/multi:ltsc" -o windows.bundle --sign-key k.key -q > /dev/null
airlock inspect windows.bundle --json > windows.json
assert_eq "$(jq -r '.images[1].tags | join(",")' windows.json)" "windows-amd64-20348,10.0.20348.2849"
assert_eq "$(jq -r '.images[1].platforms[0]' windows.json)" "windows/amd64:10.0.20348.2849"
airlock import windows.bundle --to oci:w --trusted-key k.pub -q > /dev/null
win2022=$(jq -r '.images[1].digest' windows.json)
assert_eq "$(airlock images --store oci:w --json | jq -r '[.images[] | select(.name == "localhost/multi" and (.tags | index("10.0.20348.2849")))][0].digest')" "$win2022"
assert_eq "$(airlock images --store oci:w --json | jq -r '[.images[] | select(.tags | index("10.0.17763.6532"))] | length')" 1
skopeo inspect oci:w:localhost/multi:10.0.20348.2849 | jq -e '.Os == "windows"' > /dev/null

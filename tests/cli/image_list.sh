# pack -f LIST: one image per line with per-line platforms and extra tags.
. "$(dirname "$0")/common.sh"

make_key k
cat > images.txt << LIST
# November patch set
oci:$images/sample:1.0                 tags=2026-11,approved
oci:$images/multi:ltsc   platform=windows/amd64:10.0.20348   tags=ltsc2022
oci:$images/multi:ltsc   platform=all # the whole index as well
LIST
expect_fail 2 "two images ask for .*|is named twice" airlock pack -f images.txt -o x.bundle --sign-key k.key
sed -i '$d' images.txt
airlock pack -f images.txt "oci:$images/sample:2.0" -o list.bundle --sign-key k.key -q > /dev/null
airlock inspect list.bundle --json > list.json
# Images named on the command line come first, then the list's, in order.
assert_eq "$(jq -r '.images[0].tags | join(",")' list.json)" "2.0,2.0.0"
assert_eq "$(jq -r '.images[1].tags | join(",")' list.json)" "1.0,1.0.3,2026-11,approved"
assert_eq "$(jq -r '.images[2].platforms | join(",")' list.json)" "windows/amd64:10.0.20348.2849"
assert_eq "$(jq -r '.images[2].tags | join(",")' list.json)" "ltsc,10.0.20348.2849,ltsc2022"
airlock import list.bundle --to oci:store --trusted-key k.pub -q > /dev/null
skopeo inspect oci:store:localhost/sample:approved > /dev/null
skopeo inspect oci:store:localhost/multi:ltsc2022 | jq -e '.Os == "windows"' > /dev/null

printf 'oci:%s/sample:1.0 colour=blue\n' "$images" > bad.txt
expect_fail 2 "bad.txt:1: unknown key 'colour'" airlock pack -f bad.txt -o x.bundle --sign-key k.key
expect_fail 2 "nothing to pack" airlock pack -o x.bundle --sign-key k.key

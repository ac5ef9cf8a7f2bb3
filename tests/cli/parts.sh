# Split bundles for media: --split writes parts and a signed parts file; each stick verifies on
# its own; a missing or damaged part is named; import reads the parts from several directories
# as one stream; two packs give byte-identical parts.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" -o site.bundle --sign-key k.key --split 1M -q > pack.txt
grep -q "in 3 parts: site.bundle.001 ... site.bundle.003" pack.txt || fail "unexpected parts: $(cat pack.txt)"
airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" -o whole.bundle --sign-key k.key -q > /dev/null
cat site.bundle.00? | cmp - whole.bundle
assert_eq "$(jq -r '.manifest.sha256' site.bundle.parts.json)" "$(sha256sum whole.bundle | cut -d' ' -f1)"
test "$(stat -c %s site.bundle.001)" -eq 1048576 || fail "a part is not 1M"
mkdir again
airlock pack "oci:$images/sample:1.0" "oci:$images/sample:2.0" -o again/site.bundle --sign-key k.key --split 1M -q > /dev/null
for part in site.bundle.001 site.bundle.002 site.bundle.003 site.bundle.parts.json; do
    cmp "$part" "again/$part" || fail "$part differs between two packs of the same inputs"
done
expect_fail 2 "invalid --split '4X'" airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key k.key --split 4X
expect_fail 2 "--split .100. is under 1M" airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key k.key --split 100
test ! -e x.bundle.001 || fail "a refused --split wrote parts"
# Units and presets in any case.
airlock pack "oci:$images/sample:1.0" -o f.bundle --sign-key k.key --split FAT32 > f.txt
grep -q "in 1 part: f.bundle.001, listed in f.bundle.parts.json" f.txt || fail "one part: $(cat f.txt)"
airlock pack "oci:$images/sample:1.0" -o g.bundle --sign-key k.key --split 1gb -q > /dev/null
test -f f.bundle.001 && test -f g.bundle.001 || fail "--split FAT32 / 1gb did not split"

step "two sticks"
mkdir -p stick1 stick2
mv site.bundle.parts.json site.bundle.001 stick1/
mv site.bundle.002 site.bundle.003 stick2/
airlock verify stick1/site.bundle.parts.json --partial --trusted-key k.pub > s1.txt
grep -q "1 of 3 parts present here and intact" s1.txt || fail "stick 1: $(cat s1.txt)"
grep -q "part site.bundle.002: missing" s1.txt || fail "the missing part was not named"
# Without --partial a missing part fails the check; --json has the parts in its one document.
expect_fail 1 "missing part\(s\) of site.bundle: site.bundle.002, site.bundle.003 .*--partial" \
    airlock verify stick1/site.bundle.parts.json --trusted-key k.pub
code=0
airlock verify stick1/site.bundle.parts.json --trusted-key k.pub --json > s1.json 2> /dev/null || code=$?
assert_eq "$code" 1 "exit code of verify --json with parts missing"
jq -e '.ok == false and .partsSummary.intact == 1 and .partsSummary.missing == 2 and .error.class == "not_found"
       and ([.parts[].state] == ["intact", "missing", "missing"])' s1.json > /dev/null \
    || fail "verify --json with parts missing: $(cat s1.json)"
airlock verify stick1/site.bundle.parts.json --partial --trusted-key k.pub --json > s1p.json
jq -e '.ok == true and .partsSummary.complete == false and .exitCode == 0' s1p.json > /dev/null \
    || fail "verify --partial --json: $(cat s1p.json)"
airlock verify stick1/site.bundle.parts.json --parts-dir stick2 --trusted-key k.pub --json > whole.json
jq -e '.ok == true and .partsSummary.complete == true and .blobs > 0' whole.json > /dev/null \
    || fail "verify --json of every part: $(cat whole.json)"
step "inspect needs only the first stick: it says which parts are elsewhere"
airlock inspect stick1/site.bundle.parts.json --trusted-key k.pub > first.txt
grep -q "^Parts:     split into 3 parts, listed in .*; not here: site.bundle.002, site.bundle.003 (verify and import need every part)" first.txt ||
    fail "inspect of the first stick: $(cat first.txt)"
airlock inspect stick1/site.bundle.001 --json > first.json
check_json inspect first.json
assert_eq "$(jq -c '[.parts[] | .state // "here"]' first.json)" '["here","missing","missing"]' "parts states"
expect_fail 1 "missing part\(s\) of site.bundle: site.bundle.002, site.bundle.003" airlock inspect stick1/site.bundle.001 --layers
airlock inspect stick2/site.bundle.002 --parts-dir stick1 -q > /dev/null
# A header longer than the first part (a bundle.json of thousands of blobs): the part it
# continues into is named, not a truncated archive.
mkdir tiny
python3 - whole.bundle tiny/t.bundle << 'PY'
import hashlib, json, sys
data = open(sys.argv[1], "rb").read()
cuts = [0, 700, 1500, len(data)]
parts = []
for i in range(3):
    chunk = data[cuts[i]:cuts[i + 1]]
    name = "t.bundle.%03d" % (i + 1)
    open("tiny/" + name, "wb").write(chunk)
    parts.append({"name": name, "sha256": hashlib.sha256(chunk).hexdigest(), "size": len(chunk)})
manifest = {"bundle": "t.bundle", "bundleJson": "0" * 64, "format": "airlock-parts", "formatVersion": 1,
            "parts": parts, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
json.dump({"manifest": manifest, "signatures": []}, open(sys.argv[2] + ".parts.json", "w"))
PY
rm tiny/t.bundle.002
expect_fail 1 "the header of t.bundle continues into part t.bundle.002, which is not here" airlock inspect tiny/t.bundle.001
mkdir list-only && cp stick1/site.bundle.parts.json list-only/
expect_fail 1 "missing part\(s\) of site.bundle: site.bundle.001" airlock inspect list-only/site.bundle.parts.json
airlock verify stick1/site.bundle.001 --parts-dir stick2 --trusted-key k.pub > all.txt
grep -q "every digest and size matches" all.txt || fail "the whole split bundle was not verified"
# Naming a part on the second stick: its own directory is searched too.
airlock verify stick2/site.bundle.002 --parts-dir stick1 --trusted-key k.pub > own.txt
grep -q "every digest and size matches" own.txt || fail "the named part's directory was not searched"
expect_fail 1 "missing part\(s\) of site.bundle: site.bundle.002, site.bundle.003" \
    airlock import stick1/site.bundle.parts.json --to oci:store --trusted-key k.pub
airlock import stick1/site.bundle.parts.json --parts-dir stick2 --to oci:store --trusted-key k.pub -q > /dev/null
skopeo inspect oci:store:localhost/sample:2.0 > /dev/null

step "a damaged part is named"
damage_byte stick2/site.bundle.002 500
expect_fail 4 "part site.bundle.002: DAMAGED" airlock verify stick1/site.bundle.parts.json --parts-dir stick2 --trusted-key k.pub

step "the parts file is signed"
jq -c '.manifest.parts[0].sha256 = ("0" * 64)' stick1/site.bundle.parts.json > forged.json
mv forged.json stick1/site.bundle.parts.json
expect_fail 5 "does not match site.bundle.parts.json \(it was altered after signing\)" airlock verify stick1/site.bundle.parts.json --parts-dir stick2 --trusted-key k.pub
expect_fail 5 "does not match site.bundle.parts.json \(it was altered after signing\)" airlock inspect stick1/site.bundle.parts.json --trusted-key k.pub
jq -c '.manifest.parts[0].size = 1' stick1/site.bundle.parts.json > stick1/sizes.parts.json
expect_fail 4 "the parts add up to [0-9]+ bytes, not the bundle's" airlock inspect stick1/sizes.parts.json --parts-dir stick2
rm stick1/sizes.parts.json

step "names ending in digits: a whole bundle rel.2026, a split one s.20261201"
airlock pack "oci:$images/sample:1.0" -o rel.2026 --sign-key k.key -q > /dev/null
airlock verify rel.2026 --trusted-key k.pub -q > /dev/null
airlock inspect rel.2026 > /dev/null
airlock pack "oci:$images/sample:1.0" -o s.20261201 --sign-key k.key --split 1M -q > /dev/null
airlock verify s.20261201 --trusted-key k.pub -q > /dev/null
airlock verify s.20261201.002 --trusted-key k.pub -q > /dev/null

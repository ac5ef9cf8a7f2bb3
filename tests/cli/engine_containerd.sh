# import --to containerd: a private containerd (scripts/services); `ctr -n k8s.io images ls`
# shows every tag with the bundle's digests, latest never backwards, idempotent re-import, and
# a tampered bundle creates no image.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" "oci:$images/multi:ltsc" --all-platforms -o b.bundle --sign-key k.key -q > /dev/null
start_service containerd containerd
ctr_ls() { ctr -a "$CONTAINERD_SOCK" -n k8s.io images ls | awk 'NR > 1 { print $1, $3 }' | sort; }
to="containerd:$CONTAINERD_SOCK?namespace=k8s.io"

step "a dry run creates no image and sends no content"
airlock import b.bundle --to "$to" --trusted-key k.pub --dry-run --json > dry.json
check_json import dry.json
jq -e '.dryRun == true and .blobsWritten > 0 and .blobsPresent == 0' dry.json > /dev/null || fail "dry run: $(cat dry.json)"
assert_eq "$(ctr_ls | wc -l)" 0 "containerd images after a dry run"
assert_eq "$(ctr -a "$CONTAINERD_SOCK" -n k8s.io content ls -q | wc -l)" 0 "containerd content after a dry run"

step "import and list"
airlock import b.bundle --to "$to" --trusted-key k.pub --json > b.json
assert_eq "$(jq -r .store b.json)" "$to"
airlock inspect b.bundle --json > b-inspect.json
sample=$(jq -r '.images[0].digest' b-inspect.json)
multi=$(jq -r '.images[1].digest' b-inspect.json)
ctr_ls > images.txt
cat > want.txt << WANT
localhost/multi:latest $multi
localhost/multi:ltsc $multi
localhost/sample:2.0 $sample
localhost/sample:2.0.0 $sample
localhost/sample:latest $sample
WANT
diff want.txt images.txt || fail "containerd does not hold the bundle's tags and digests"
ctr -a "$CONTAINERD_SOCK" -n k8s.io content ls | grep -q "${sample}" || fail "the manifest is not in the content store"

step "a dry run of what containerd has: present, unchanged; of an older bundle: latest kept"
airlock import b.bundle --to "$to" --trusted-key k.pub --dry-run --json > dry-again.json
jq -e '.blobsWritten == 0 and .blobsPresent > 0 and .changed == false' dry-again.json > /dev/null || fail "dry run of an imported bundle: $(cat dry-again.json)"
airlock import a.bundle --to "$to" --trusted-key k.pub --dry-run > dry-older.txt 2> dry-older.err
grep -q "^localhost/sample:latest  kept" dry-older.txt || fail "latest preview: $(cat dry-older.txt)"

step "re-import changes nothing; an older bundle does not move latest"
airlock import b.bundle --to "$to" --trusted-key k.pub > again.txt
grep -q "nothing changed" again.txt || fail "re-import changed something: $(cat again.txt)"
airlock import a.bundle --to "$to" --trusted-key k.pub > older.txt 2> older.err
grep -q "latest stays at the newer version 2.0.0" older.err || fail "latest moved back"
assert_eq "$(ctr_ls | awk '$1 == "localhost/sample:latest" { print $2 }')" "$sample"
ctr_ls | grep -q "^localhost/sample:1.0.3 " || fail "the older image's own tags are missing"

step "a tampered bundle creates no image"
before=$(ctr_ls | tr '\n' ' ')
airlock pack "oci:$images/docker:1.0" -o plain.bundle --sign-key k.key --compression none -q > /dev/null
$tamper plain.bundle flipped.bundle flip-layer
expect_fail 4 "does not match its digest" airlock import flipped.bundle --to "$to" --trusted-key k.pub
assert_eq "$(ctr_ls | tr '\n' ' ')" "$before" "containerd images after a tampered import"
airlock import plain.bundle --to "$to" --trusted-key k.pub -q > /dev/null
ctr_ls | grep -q "^localhost/docker:1.0 " || fail "the intact bundle was not imported"

step "a containerd that is not there"
expect_fail 3 "cannot list containerd images at $t/nowhere.sock" airlock import a.bundle --to "containerd:$t/nowhere.sock" --trusted-key k.pub

step "differential: inventory of the namespace, a bundle packed --since it, imported there"
cp -r "$images/sample" app
chmod -R u+w app
umoci config --image app:2.0 --tag 2.1 --config.label "org.opencontainers.image.version=2.1"
mkdir -p patch/etc
head -c 100000 /dev/urandom > patch/etc/patch.bin
umoci insert --image app:2.1 patch / > /dev/null
airlock inventory --store "$to" -o inv.json -q
jq -e --arg d "$sample" 'any(.blobs[]; .digest == $d) and any(.images[]; .name == "localhost/sample" and .tag == "2.0")' inv.json > /dev/null ||
    fail "the inventory lacks sample:2.0: $(head -c 600 inv.json)"
airlock pack oci:app:2.1 -o diff.bundle --since inv.json --sign-key k.key --json > diff.json
jq -e '.required.blobs > 0' diff.json > /dev/null || fail "nothing was left out: $(cat diff.json)"
airlock import diff.bundle --to "$to" --trusted-key k.pub -q > /dev/null
ctr_ls | grep -q "^localhost/app:2.1 $(airlock inspect diff.bundle --json | jq -r '.images[0].digest')" ||
    fail "the differential image is not in containerd: $(ctr_ls)"
ctr -a "$CONTAINERD_SOCK" -n k8s.io images export --platform linux/amd64 app.tar localhost/app:2.1 > /dev/null ||
    fail "containerd cannot export the differential image whole"
# Into a namespace that lacks the base: refused, nothing created.
expect_fail 1 "differential bundle needs blob sha256:[0-9a-f]{64} .*which containerd:.*namespace=empty does not hold" \
    airlock import diff.bundle --to "containerd:$CONTAINERD_SOCK?namespace=empty" --trusted-key k.pub
assert_eq "$(ctr -a "$CONTAINERD_SOCK" -n empty images ls -q | wc -l)" 0 "images in the namespace that refused it"

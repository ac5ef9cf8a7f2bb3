# Bundles cross between Linux and Windows: airlock.exe (under Wine) and the Linux binary pack
# byte-identical bundles and parts from the same images and key, each imports what the other
# packed, and the two stores hold the same files. Runs only against airlock.exe (scripts/test).
. "$(dirname "$0")/common.sh"

[ -n "$airlock_windows" ] || skip "compares airlock.exe with the Linux binary (AIRLOCK=.../airlock.exe)"
linux=${AIRLOCK_BUILT:?the Linux binary of the build (ctest sets it)}
cp -R "$images/sample" layout
cp -R "$images/multi" multi

# contents DIR: every file under DIR (not .airlock) with its SHA-256, sorted.
contents() {
    (cd "$1" && find . -path ./.airlock -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

step "the same inputs give the same bytes on both systems"
airlock key generate -o k > /dev/null
airlock pack oci:layout:1.0 oci:layout:2.0 oci:multi:ltsc --all-platforms -o win.bundle --sign-key k.key -q
"$linux" pack oci:layout:1.0 oci:layout:2.0 oci:multi:ltsc --all-platforms -o lin.bundle --sign-key k.key -q
cmp win.bundle lin.bundle || fail "airlock.exe and the Linux binary packed different bundles"
mkdir win-parts lin-parts
airlock pack oci:layout:1.0 oci:layout:2.0 -o win-parts/site.bundle --sign-key k.key --split 1M -q
"$linux" pack oci:layout:1.0 oci:layout:2.0 -o lin-parts/site.bundle --sign-key k.key --split 1M -q
for part in site.bundle.001 site.bundle.002 site.bundle.003 site.bundle.parts.json; do
    cmp "win-parts/$part" "lin-parts/$part" || fail "$part differs between the systems"
done

step "a Windows path names the layout and the bundle"
airlock pack 'oci:Z:'"$(pwd | tr / '\\')"'\layout:1.0' -o 'Z:'"$(pwd | tr / '\\')"'\drive.bundle' --sign-key k.key -q
"$linux" verify drive.bundle --trusted-key k.pub > /dev/null

step "each imports and verifies what the other packed"
"$linux" verify win.bundle --trusted-key k.pub > /dev/null
airlock verify lin.bundle --trusted-key k.pub > /dev/null
airlock import lin.bundle --to oci:win-store --trusted-key k.pub -q > /dev/null
"$linux" import win.bundle --to oci:lin-store --trusted-key k.pub -q > /dev/null
assert_eq "$(contents win-store)" "$(contents lin-store)" "the stores airlock.exe and the Linux binary wrote"
skopeo inspect --raw oci:win-store:localhost/layout:latest > /dev/null

step "split parts packed on Linux, in two directories, verified and imported on Windows"
mkdir stick1 stick2
cp lin-parts/site.bundle.001 lin-parts/site.bundle.parts.json stick1/
cp lin-parts/site.bundle.002 lin-parts/site.bundle.003 stick2/
airlock verify stick1/site.bundle --parts-dir stick2 --trusted-key k.pub > /dev/null
airlock import stick1/site.bundle --parts-dir stick2 --to oci:parts-store --trusted-key k.pub -q > /dev/null
for ref in localhost/layout:1.0 localhost/layout:2.0 localhost/layout:latest; do
    skopeo inspect --raw "oci:parts-store:$ref" > /dev/null || fail "$ref missing after the split import"
done

step "airlock.exe reads the host's Windows build and checks images against it"
airlock status --json > status.json
host=$(jq -r .hostOsVersion status.json)
echo "$host" | grep -Eq '^10\.0\.[0-9]+\.[0-9]+$' || fail "status reports host build '$host'"
airlock images --store oci:win-store --json | jq -e --arg h "$host" '.hostOsVersion == $h' > /dev/null ||
    fail "images does not report the host build"
build=$(echo "$host" | cut -d. -f3)
airlock pack oci:multi:ltsc --all-platforms -o multi.bundle --sign-key k.key -q
airlock import multi.bundle --to oci:host-store --trusted-key k.pub > host.out 2> host.err
# The image is 10.0.17763: on another build before 20348 (Wine says 10.0.18362) it runs only
# with Hyper-V isolation, and the warning names the build airlock read.
if [ "$build" != 17763 ]; then
    grep -q "runs on hosts of build $host only with Hyper-V isolation" host.err ||
        fail "no warning against the detected build $host: $(cat host.err)"
fi
step "--host-os-version overrides the detected build"
airlock import multi.bundle --to oci:host-store2 --trusted-key k.pub --host-os-version 10.0.17763.6532 > o.txt 2> o.err
if grep -q "Hyper-V\|cannot run" o.err; then
    fail "the given build did not replace the detected one: $(cat o.err)"
fi
expect_fail 6 "newer than the host build 10.0.14393.0 .*--require-compatible" \
    airlock import multi.bundle --to oci:host-store3 --trusted-key k.pub --host-os-version 10.0.14393.0 --require-compatible

# Windows host compatibility: images newer than the host build are reported, or refused with
# --require-compatible (exit 6, store untouched); older pre-20348 builds need Hyper-V isolation.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/multi:windows-amd64-20348" -o ws2022.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/multi:windows-amd64-17763" -o ws2019.bundle --sign-key k.key -q > /dev/null

step "a 2022 image on a 2019 host cannot run"
airlock import ws2022.bundle --to oci:a --trusted-key k.pub --host-os-version 10.0.17763.6532 > out.txt 2> err.txt
grep -q "(Windows 10.0.20348.2849) is newer than the host build 10.0.17763.6532 and cannot run there" err.txt ||
    fail "no warning: $(cat err.txt)"
expect_fail 6 "cannot run there \(--require-compatible\)" \
    airlock import ws2022.bundle --to oci:b --trusted-key k.pub --host-os-version 10.0.17763.6532 --require-compatible
test ! -e b || fail "a refused import created a store"

step "a 2019 image on a 2022 host needs Hyper-V isolation; a 2022 image on 23H2 runs"
airlock import ws2019.bundle --to oci:c --trusted-key k.pub --host-os-version 10.0.20348.2849 --require-compatible 2> err.txt > /dev/null
grep -q "only with Hyper-V isolation" err.txt || fail "no Hyper-V note: $(cat err.txt)"
airlock import ws2022.bundle --to oci:d --trusted-key k.pub --host-os-version 10.0.25398.1 --require-compatible 2> err.txt > /dev/null
# Only the notice that the store is new, no warning.
if grep -v "^creating a new store at d$" err.txt | grep -q .; then
    fail "unexpected warning: $(cat err.txt)"
fi
expect_fail 2 "invalid --host-os-version 'ltsc2022'" airlock import ws2022.bundle --to oci:e --trusted-key k.pub --host-os-version ltsc2022

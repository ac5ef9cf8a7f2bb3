# The static release binary (scripts/release) on a host that has nothing else: inside an empty
# chroot holding only the binary, /etc/hosts, /etc/resolv.conf, a CA file and a scratch
# directory, it generates a key, packs from an OCI layout, verifies, imports into an OCI store,
# and imports into a real registry over TLS by a name only that /etc/hosts knows, trusting the
# registry's CA through --cert-dir, a system bundle path or SSL_CERT_FILE. Static glibc cannot
# load NSS modules: names are resolved by c-ares, which reads the two files itself.
# The binary is AIRLOCK_STATIC_BINARY, else the binary under test when that one is static.
. "$(dirname "$0")/common.sh"

bin=${AIRLOCK_STATIC_BINARY:-}
if [ -z "$bin" ] && ! binary_is_dynamic; then
    bin=$AIRLOCK
fi
[ -n "$bin" ] || skip "AIRLOCK_STATIC_BINARY is not set (scripts/release prints the binary)"
[ -f "$bin" ] || skip "AIRLOCK_STATIC_BINARY=$bin does not exist"
[ "$(id -u)" -eq 0 ] || skip "chroot needs root"
chroot=$(command -v chroot) || skip "no chroot command"

step "the binary loads nothing"
file "$bin" | grep -q "statically linked" || fail "file: $(file "$bin")"
ldd "$bin" > ldd.out 2>&1 || true
grep -q "not a dynamic executable" ldd.out || fail "ldd: $(cat ldd.out)"

start_registry tls registry
port=${REGISTRY##*:}
name=registry.airlock.test:$port

root=$t/root
mkdir -p "$root/bin" "$root/etc" "$root/certs/$name" "$root/work/home" "$root/work/tmp"
cp "$bin" "$root/bin/airlock"
printf '127.0.0.1 localhost\n127.0.0.1 registry.airlock.test\n' > "$root/etc/hosts"
# No name server listens there: a name /etc/hosts lacks fails at once.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$root/etc/resolv.conf"
cp "$CA" "$root/certs/$name/ca.crt"
cp -R "$images/sample" "$root/work/sample"

# in_root [VAR=VALUE...] ARGS...: the binary inside the chroot with nothing but these variables.
in_root() {
    vars=""
    while [ $# -gt 0 ]; do
        case "$1" in
        *=*) vars="$vars $1" ;;
        *) break ;;
        esac
        shift
    done
    # shellcheck disable=SC2086
    env -i HOME=/work/home TMPDIR=/work/tmp $vars "$chroot" "$root" /bin/airlock "$@"
}

step "--version"
version=$(sed -n 's/^project(airlock VERSION \([0-9.]*\).*/\1/p' "$AIRLOCK_SOURCE/CMakeLists.txt")
in_root --version > version.out
grep -q "$version" version.out || fail "--version says '$(cat version.out)', not $version"

step "key generate, pack from an OCI layout, verify"
in_root key generate -o /work/k > /dev/null
in_root pack oci:/work/sample:1.0 -o /work/s.bundle --sign-key /work/k.key > /dev/null
in_root verify /work/s.bundle --trusted-key /work/k.pub > /dev/null
in_root inspect /work/s.bundle --json > inspect.json
digest=$(jq -r '.images[0].digest' inspect.json)

step "import into an OCI store"
in_root import /work/s.bundle --to oci:/work/store --trusted-key /work/k.pub --json > import.json
assert_eq "$(jq -r .ok import.json)" true
in_root images --store oci:/work/store > images.txt
grep -q "localhost/sample *1.0" images.txt || fail "images does not list the import: $(cat images.txt)"

step "import into the registry by a name from /etc/hosts, over TLS, CA from --cert-dir"
in_root import /work/s.bundle --to "docker://$name/site" --cert-dir /certs --trusted-key /work/k.pub \
    --json > push.json
assert_eq "$(jq -r .ok push.json)" true
got=$(skopeo inspect --cert-dir "$CERT_DIR/$REGISTRY" --format '{{.Digest}}' "docker://$REGISTRY/site/sample:1.0")
assert_eq "$got" "$digest" "digest in the registry"

step "without the CA, TLS is refused; a name /etc/hosts lacks is not found"
expect_fail 3 "certificate|SSL|TLS" in_root import /work/s.bundle --to "docker://$name/other" \
    --trusted-key /work/k.pub
expect_fail 3 "resolve|host" in_root import /work/s.bundle \
    --to "docker://unknown.airlock.test:$port/other" --cert-dir /certs --trusted-key /work/k.pub

step "the CA found at a distribution's bundle path, or named by SSL_CERT_FILE"
mkdir -p "$root/etc/ssl"
cp "$CA" "$root/etc/ssl/cert.pem" # Alpine's path
in_root import /work/s.bundle --to "docker://$name/alpine" --trusted-key /work/k.pub > /dev/null
rm "$root/etc/ssl/cert.pem"
in_root SSL_CERT_FILE="/certs/$name/ca.crt" import /work/s.bundle --to "docker://$name/env" \
    --trusted-key /work/k.pub > /dev/null
for repo in alpine env; do
    got=$(skopeo inspect --cert-dir "$CERT_DIR/$REGISTRY" --format '{{.Digest}}' "docker://$REGISTRY/$repo/sample:1.0")
    assert_eq "$got" "$digest" "digest in $repo"
done

# The release of scripts/release (AIRLOCK_RELEASE_DIR=dist, skipped otherwise): SHA256SUMS and its
# signature pass the one-line check docs/install.md gives, the .deb passes lintian and installs
# and removes cleanly with dpkg, the .rpm holds the same files, man pages render and completion
# loads from the installed tree.
. "$(dirname "$0")/common.sh"

dist=${AIRLOCK_RELEASE_DIR:-}
[ -n "$dist" ] || skip "AIRLOCK_RELEASE_DIR is not set (scripts/test sets it after scripts/release)"
version=$(sed -n 's/^project(airlock VERSION \([0-9.]*\).*/\1/p' "$AIRLOCK_SOURCE/CMakeLists.txt")
bin=airlock-$version-linux-x86_64
deb=airlock_${version}_amd64.deb
rpm=airlock-$version-1.x86_64.rpm

step "SHA256SUMS lists the binary and both packages"
(cd "$dist" && sha256sum -c SHA256SUMS) > sums.out
for f in "$bin" "$deb" "$rpm"; do
    grep -qx "$f: OK" sums.out || fail "SHA256SUMS does not check $f"
done

step "the one-line offline check of docs/install.md, word for word (the key's path aside)"
check=$(grep '^openssl pkeyutl -verify -pubin -inkey /etc/airlock/release.pub .* | sha256sum -c -$' "$AIRLOCK_SOURCE/docs/install.md")
[ -n "$check" ] || fail "docs/install.md has no one-line check"
# The release key is the host's, never the media's.
mkdir media held
check=$(echo "$check" | sed "s|/etc/airlock/release.pub|$t/held/release.pub|")
cp "$dist/$bin" "$dist/SHA256SUMS" media/
if [ -n "${AIRLOCK_RELEASE_PUB:-}" ]; then
    cp "$dist/SHA256SUMS.sig" media/ || fail "scripts/release --sign-key wrote no SHA256SUMS.sig"
    cp "$AIRLOCK_RELEASE_PUB" held/release.pub
else
    # A release made without --sign-key: sign it here, as scripts/release would have.
    make_key release
    cp release.pub held/
    "$dist/$bin" -q key sign-file media/SHA256SUMS --key release.key
fi
# The fingerprint docs/install.md compares is the key id airlock names.
fingerprint=$(openssl pkey -pubin -in held/release.pub -outform DER | sha256sum | cut -d' ' -f1)
"$dist/$bin" key verify-file media/SHA256SUMS --trusted-key held/release.pub | grep -q "(sha256:$fingerprint)" ||
    fail "the fingerprint of docs/install.md is not the key id"
run_check() { (cd media && sh -c "$check") > check.out 2>&1; }
run_check || { cat check.out; fail "the documented check failed"; }
grep -q "Signature Verified Successfully" check.out || fail "no signature check: $(cat check.out)"
grep -qx "$bin: OK" check.out || fail "the binary was not checked: $(cat check.out)"
(cd media && "./$bin" key verify-file SHA256SUMS --trusted-key ../held/release.pub > /dev/null)
cp media/SHA256SUMS media/SHA256SUMS.good
cp media/SHA256SUMS.sig media/SHA256SUMS.sig.good
printf 'x' >> "media/$bin"
! run_check || fail "the documented check passed a changed binary"
cp "$dist/$bin" media/
sed -i '1s/^./0/' media/SHA256SUMS
! run_check || fail "the documented check passed a changed SHA256SUMS"
# Everything on the media replaced: another binary, its sums, signed by another key.
printf 'not airlock' > "media/$bin"
(cd media && sha256sum "$bin" > SHA256SUMS)
make_key attacker
"$dist/$bin" -q key sign-file media/SHA256SUMS --key attacker.key
cp attacker.pub media/release.pub
! run_check || fail "the documented check passed media signed by another key"
# A SHA256SUMS that does not list the file: the check's second half names the file, so it fails.
cp "$dist/$bin" media/
grep -v " $bin\$" media/SHA256SUMS.good > media/SHA256SUMS
(cd media && sh -c "${check#* && }") > check.out 2>&1 && fail "the documented check passed a file SHA256SUMS does not list"

step "scripts/release signs only with the release key it is told to expect"
mkdir signing && cp "$dist/SHA256SUMS" signing/
release_key=$t/release.key
[ -z "${AIRLOCK_RELEASE_PUB:-}" ] || release_key=${AIRLOCK_RELEASE_PUB%.pub}.key
"$AIRLOCK_SOURCE/scripts/package/sign-sums" "$dist/$bin" signing/SHA256SUMS "$release_key" held/release.pub 2> sign.err ||
    fail "signing with the release key failed: $(cat sign.err)"
(cd signing && openssl pkeyutl -verify -pubin -inkey ../held/release.pub -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig > /dev/null) ||
    fail "sign-sums wrote a signature the documented check refuses"
rm -f signing/SHA256SUMS.sig
expect_fail 1 "attacker.key is not the private half of the release key .*held/release.pub; nothing is signed" \
    "$AIRLOCK_SOURCE/scripts/package/sign-sums" "$dist/$bin" signing/SHA256SUMS attacker.key held/release.pub
test ! -e signing/SHA256SUMS.sig || fail "a signature by the wrong key was left beside the sums"
"$AIRLOCK_SOURCE/scripts/package/sign-sums" "$dist/$bin" signing/SHA256SUMS attacker.key 2> /dev/null
test -s signing/SHA256SUMS.sig || fail "sign-sums without a release key to expect did not sign"

step "lintian: no errors, no warnings"
lintian --fail-on error,warning --tag-display-limit 0 "$dist/$deb" > lintian.out 2>&1 || {
    cat lintian.out
    fail "lintian refused $deb"
}
cat lintian.out

step "dpkg installs into an empty root and removes everything it installed"
root=$t/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: > "$root/var/lib/dpkg/status"
dpkg --root="$root" --force-script-chrootless --log=/dev/null -i "$dist/$deb" > dpkg.out
[ -x "$root/usr/bin/airlock" ] || fail "no /usr/bin/airlock"
"$root/usr/bin/airlock" --version | grep -qx "airlock $version"
[ -d "$root/etc/airlock/trusted-keys" ] || fail "no /etc/airlock/trusted-keys/"
[ -z "$(ls -A "$root/etc/airlock/trusted-keys")" ] || fail "/etc/airlock/trusted-keys/ is not empty"
dpkg --root="$root" -L airlock | sort > deb-files
while read -r path; do
    if [ -f "$root$path" ] && [ ! -L "$root$path" ]; then echo "$path"; fi
done < deb-files > deb-regular
for page in $("$root/usr/bin/airlock" man --list); do
    grep -qx "/usr/share/man/man1/$page.1.gz" deb-files || fail "the .deb has no man page $page"
done
MANWIDTH=80 man -l "$root/usr/share/man/man1/airlock-import.1.gz" 2> man.err | grep -q -- "--dry-run" ||
    fail "man airlock-import does not render --dry-run"
[ ! -s man.err ] || fail "man airlock-import: $(cat man.err)"
bash --norc -c ". '$root/usr/share/bash-completion/completions/airlock' && complete -p airlock" |
    grep -q _airlock || fail "the bash completion does not register itself"
zsh -n "$root/usr/share/zsh/vendor-completions/_airlock" || fail "the zsh completion does not parse"
grep -qx /usr/share/doc/airlock/copyright deb-files || fail "no copyright file"
grep -qx /usr/share/doc/airlock/install.md deb-files || fail "no docs/install.md"
# A key the administrator installed stays; everything the package brought goes.
cp media/release.pub "$root/etc/airlock/trusted-keys/"
dpkg --root="$root" --log=/dev/null -r airlock > dpkg.out 2>&1
left=$(cd "$root" && find . -path ./var/lib/dpkg -prune -o -print | sort | tr '\n' ' ')
assert_eq "$left" ". ./etc ./etc/airlock ./etc/airlock/trusted-keys ./etc/airlock/trusted-keys/release.pub ./var ./var/lib " \
    "after dpkg -r only the administrator's key is left"
rm "$root/etc/airlock/trusted-keys/release.pub"
dpkg --root="$root" --log=/dev/null -i "$dist/$deb" > dpkg.out
dpkg --root="$root" --log=/dev/null -P airlock > dpkg.out 2>&1
left=$(cd "$root" && find . -path ./var/lib/dpkg -prune -o -print | sort | tr '\n' ' ')
assert_eq "$left" ". ./var ./var/lib " "dpkg -P leaves nothing"

step "the .rpm holds the same files (rpm -qlp) and installs into an empty root"
rpm -qp --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH}\n' "$dist/$rpm" > rpm-info
assert_eq "$(cat rpm-info)" "airlock $version 1 x86_64" "rpm name, version, release, architecture"
rpm -qlp "$dist/$rpm" > rpm-files
grep -qx /etc/airlock/trusted-keys rpm-files || fail "rpm -qlp lists no /etc/airlock/trusted-keys"
grep -qx /usr/bin/airlock rpm-files || fail "rpm -qlp lists no /usr/bin/airlock"
rpm -qp --qf '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILENAMES}\n]' "$dist/$rpm" > rpm-modes
# Regular files: the .deb's (with its tree installed above) under the paths RPM systems use.
sed -n 's|^-[^ ]* [^ ]* ||p' rpm-modes | sort > rpm-regular
sed -e 's|^/usr/share/zsh/vendor-completions/|/usr/share/zsh/site-functions/|' \
    -e 's|^/usr/share/doc/airlock/copyright$|/usr/share/licenses/airlock/copyright|' \
    -e '\|^/usr/share/doc/airlock/changelog.gz$|d' -e '\|^/usr/share/lintian/|d' deb-regular | sort > want-regular
diff want-regular rpm-regular || fail "the .rpm's files differ from the .deb's (above)"
grep -qx -- '-rwxr-xr-x root /usr/bin/airlock' rpm-modes || fail "/usr/bin/airlock: $(grep bin/airlock rpm-modes)"
grep -qx -- 'drwxr-xr-x root /etc/airlock/trusted-keys' rpm-modes || fail "no /etc/airlock/trusted-keys/"
rroot=$t/rpmroot
mkdir -p "$rroot"
# Debian's rpm keeps its database in ~/.rpmdb unless told; --force-debian: it would warn that
# rpm is not how Debian installs packages.
rpmdb="--root $rroot --dbpath /var/lib/rpm"
# shellcheck disable=SC2086
rpm $rpmdb --initdb
# shellcheck disable=SC2086
rpm $rpmdb --force-debian -i --nodeps "$dist/$rpm"
"$rroot/usr/bin/airlock" --version | grep -qx "airlock $version"
[ -d "$rroot/etc/airlock/trusted-keys" ] || fail "rpm -i made no /etc/airlock/trusted-keys/"
# shellcheck disable=SC2086
rpm $rpmdb -qa | grep -qx "airlock-$version-1.x86_64" || fail "rpm -qa does not list airlock"
# shellcheck disable=SC2086
rpm $rpmdb --force-debian -e airlock
left=$(cd "$rroot" && find . -path ./var/lib/rpm -prune -o \( -type f -o -path '*airlock*' \) -print | sort | tr '\n' ' ')
assert_eq "$left" "" "rpm -e leaves nothing of airlock"

step "packaging killed partway leaves no package in its directory; the next run reclaims its work"
# The release's time stamp, as its files in the .deb carry it.
stamp=$(dpkg-deb --fsys-tarfile "$dist/$deb" | TZ=UTC tar -tv --full-time | awk '$6 == "./usr/bin/airlock" { print $4, $5 }')
SOURCE_DATE_EPOCH=$(date -u -d "$stamp" +%s)
export SOURCE_DATE_EPOCH
setsid "$AIRLOCK_SOURCE/scripts/package/build" "$dist/$bin" "$version" "$t/pkg" > /dev/null 2>&1 &
builder=$!
# Killed once the .deb's tree is staged (mid-work), then again later runs reach further.
for at in usr/bin/airlock DEBIAN/md5sums; do
    while ! ls "$t"/pkg/.package-*/deb/$at > /dev/null 2>&1; do
        kill -0 "$builder" 2> /dev/null || break
        sleep 0.05
    done
    kill -KILL "-$builder" 2> /dev/null || true
    wait "$builder" 2> /dev/null || true
    left=$(cd "$t/pkg" && find . -maxdepth 1 ! -name '.package-*' ! -name . | tr '\n' ' ')
    assert_eq "$left" "" "what a killed packaging run left beside its work directory"
    [ "$at" = DEBIAN/md5sums ] && break
    setsid "$AIRLOCK_SOURCE/scripts/package/build" "$dist/$bin" "$version" "$t/pkg" > /dev/null 2>&1 &
    builder=$!
done
ls -d "$t"/pkg/.package-* > /dev/null 2>&1 || fail "the killed run left no work directory: the kill came too late to test anything"
"$AIRLOCK_SOURCE/scripts/package/build" "$dist/$bin" "$version" "$t/pkg" > /dev/null
assert_eq "$(cd "$t/pkg" && LC_ALL=C ls -A | tr '\n' ' ')" "$rpm $deb " "packages after a run following killed ones"
cmp "$t/pkg/$deb" "$dist/$deb" || fail "the .deb made after killed runs differs from the release's"
cmp "$t/pkg/$rpm" "$dist/$rpm" || fail "the .rpm made after killed runs differs from the release's"

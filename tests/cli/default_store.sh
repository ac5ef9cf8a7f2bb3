# Without --to, import uses $XDG_DATA_HOME/airlock/store for ordinary users.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o s.bundle --sign-key k.key -q > /dev/null
run_as_user() {
    if [ "$(id -u)" -ne 0 ]; then
        env "$@"
    elif command -v setpriv > /dev/null; then
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$t/home" "$@"
    else
        skip "cannot drop root privileges here"
    fi
}
mkdir -p xdg home
chmod 777 xdg home
chmod 755 "$t"
run_as_user XDG_DATA_HOME="$t/xdg" "$AIRLOCK" import "$t/s.bundle" --trusted-key "$t/k.pub" -q > /dev/null ||
    skip "the unprivileged user cannot run the binary from this build directory"
test -f xdg/airlock/store/index.json || fail "no store under XDG_DATA_HOME"
run_as_user XDG_DATA_HOME="$t/xdg" "$AIRLOCK" images | grep -q "localhost/sample *1.0" || fail "images does not list it"

step "an ordinary user is told which store is used; a store they may not write gets a hint"
run_as_user XDG_DATA_HOME="$t/xdg" "$AIRLOCK" import "$t/s.bundle" --trusted-key "$t/k.pub" > own.out 2> own.err
grep -q "importing into your own store oci:$t/xdg/airlock/store (the system's store is oci:/var/lib/airlock/store: run as root for it, or give --to)" own.err ||
    fail "no notice of the user's own store: $(cat own.err)"
mkdir -p locked && chmod 755 locked
code=0
run_as_user "$AIRLOCK" import "$t/s.bundle" --to "oci:$t/locked/store" --trusted-key "$t/k.pub" > locked.out 2> locked.err || code=$?
assert_eq "$code" 1 "exit code of an import into a store the user may not write"
grep -q "Permission denied" locked.err || fail "no permission error: $(cat locked.err)"
grep -q "hint: run as a user who may write the store (root for the system's store), or import into one you can write with --to oci:DIR" locked.err ||
    fail "no hint: $(cat locked.err)"

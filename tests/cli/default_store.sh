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

# Host settings: the store, the trusted keys directory and insecure registries from a
# configuration file (--config, $AIRLOCK_CONFIG, $XDG_CONFIG_HOME/airlock/airlock.conf) or the
# environment; the command line wins over the environment, which wins over the file. A
# malformed file or an unknown key is a usage error naming the file and line.
. "$(dirname "$0")/common.sh"

make_key k
mkdir keys && cp k.pub keys/
airlock pack "oci:$images/sample:1.0" -o b.bundle --sign-key k.key -q > /dev/null
cat > site.conf <<CONF
# the site's store and keys
store = "oci:$t/from-file"
trusted-keys-dir = $t/keys   # a bare word works too
CONF

step "--config: import and images use the file's store and keys"
airlock --config site.conf import b.bundle -q > /dev/null
test -f from-file/index.json || fail "the import did not go to the configured store"
airlock images --config site.conf | grep -q "localhost/sample" || fail "images did not read the configured store"
airlock verify b.bundle --config site.conf -q > /dev/null

step "\$AIRLOCK_CONFIG and \$XDG_CONFIG_HOME find the file"
AIRLOCK_CONFIG=$t/site.conf airlock inventory -o inv.json -q
jq -e --arg s "oci:$t/from-file" '.store == $s' inv.json > /dev/null || fail "inventory ignored \$AIRLOCK_CONFIG"
mkdir -p xdg/airlock && cp site.conf xdg/airlock/airlock.conf
XDG_CONFIG_HOME=$t/xdg airlock images --json | jq -e '.images | length == 1' > /dev/null || fail "\$XDG_CONFIG_HOME/airlock/airlock.conf was not read"

step "the environment wins over the file, the command line over both"
AIRLOCK_STORE=oci:$t/from-env airlock import b.bundle --config site.conf -q > /dev/null
test -f from-env/index.json || fail "\$AIRLOCK_STORE did not win over the file"
AIRLOCK_STORE=oci:$t/from-env airlock import b.bundle --config site.conf --to "oci:$t/from-flag" -q > /dev/null
test -f from-flag/index.json || fail "--to did not win over \$AIRLOCK_STORE"
mkdir nokeys
expect_fail 5 "" env AIRLOCK_TRUSTED_KEYS_DIR="$t/nokeys" "$AIRLOCK" verify b.bundle --config site.conf

step "insecure registries from the file: a plain-HTTP registry"
start_registry plain reg
push sample:1.0 library/sample:1.0 --dest-tls-verify=false
printf "insecure-registries = ['127.0.0.2:1', '%s']\\n" "$REGISTRY" > reg.conf
airlock pack "$REGISTRY/library/sample:1.0" -o r.bundle --sign-key k.key --config reg.conf -q > /dev/null
AIRLOCK_INSECURE_REGISTRIES="127.0.0.2:1, $REGISTRY " airlock pack "$REGISTRY/library/sample:1.0" -o r2.bundle --sign-key k.key -q > /dev/null

step "mistakes: an unknown key, a malformed line, a missing file"
printf 'store = "oci:/x"\nstroe = "oci:/y"\n' > typo.conf
expect_fail 2 "typo.conf:2: unknown setting 'stroe'; did you mean 'store'\?" airlock images --config typo.conf
printf '[import]\nto = "oci:/x"\n' > section.conf
expect_fail 2 "section.conf:1: expected key = value \(settings have no sections\)" airlock images --config section.conf
printf 'store = "oci:/x\n' > quote.conf
expect_fail 2 "quote.conf:1: expected a closing quote" airlock images --config quote.conf
expect_fail 1 "configuration file $t/none.conf does not exist" airlock images --config "$t/none.conf"
airlock images --config typo.conf --json > typo.json || true
check_json usage typo.json
printf 'store = "oci:/x"\n# later\nstore = "oci:/y"\n' > twice.conf
expect_fail 2 "twice.conf:3: 'store' is set twice \(first on line 1\)" airlock images --config twice.conf
head -c 70000 /dev/zero | tr '\0' '#' > big.conf
expect_fail 2 "big.conf: larger than 65536 bytes" airlock images --config big.conf
mkfifo fifo.conf
expect_fail 2 "configuration file $t/fifo.conf is not a regular file" airlock images --config "$t/fifo.conf"

step "a bad value says where it was set"
printf 'store = "ocí:/x"\n' > badstore.conf
expect_fail 2 "unsupported store 'ocí:/x'.* \(store is set by badstore.conf:1\)" airlock import b.bundle --config badstore.conf
expect_fail 2 "unsupported store 'nope'.* \(store is set by AIRLOCK_STORE\)" env AIRLOCK_STORE=nope "$AIRLOCK" import b.bundle
expect_fail 2 "\(store is set by AIRLOCK_STORE\)" env AIRLOCK_STORE=docker://x "$AIRLOCK" images
expect_fail 5 "$t/nowhere \(no such directory\) \(the directory is set by AIRLOCK_TRUSTED_KEYS_DIR\)" env AIRLOCK_TRUSTED_KEYS_DIR="$t/nowhere" "$AIRLOCK" verify b.bundle

step "a settings file another user may change is refused (sudo -E keeps HOME and ~/.config)"
cp site.conf shared.conf && chmod 664 shared.conf
expect_fail 2 "shared.conf is writable by other users, who could choose your settings; run: chmod go-w" airlock images --config shared.conf
chmod 644 shared.conf
airlock images --config shared.conf > /dev/null
if [ "$(id -u)" = 0 ]; then
    mkdir -p home/.config/airlock && cp site.conf home/.config/airlock/airlock.conf
    chown -R nobody home
    expect_fail 2 "airlock.conf belongs to uid $(id -u nobody), neither you \(uid 0\) nor root" env -u XDG_CONFIG_HOME HOME="$t/home" "$AIRLOCK" images
    chown -R root home
    env -u XDG_CONFIG_HOME HOME="$t/home" "$AIRLOCK" images --json | jq -e '.images | length == 1' > /dev/null || fail "root's own settings file was not read"
fi

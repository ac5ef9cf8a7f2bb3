# import --dry-run: every check an import makes (signature, expiry, channel, required blobs of a
# differential bundle, every digest), a preview of each tag and of new versus present bytes,
# and nothing written: not even a new OCI store's directory, nothing pushed to a registry.
. "$(dirname "$0")/common.sh"

make_key k
make_key other
airlock pack "oci:$images/sample:1.0" -o v1.bundle --sign-key k.key --channel m --sequence 1 -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o v2.bundle --sign-key k.key --channel m --sequence 2 -q > /dev/null

step "a new store: everything would be added; the store is not created"
airlock import v1.bundle --to oci:site --trusted-key k.pub --dry-run > new.txt
grep -q "^localhost/sample:1.0  would be added" new.txt || fail "no tag preview: $(cat new.txt)"
grep -q "^localhost/sample:latest  would be added" new.txt || fail "no latest preview: $(cat new.txt)"
grep -Eq "^dry run: the bundle verified and would import into oci:site: [0-9]+ new blobs \(.*\), 0 already present .*nothing was written" new.txt ||
    fail "no summary: $(cat new.txt)"
test ! -e site || fail "a dry run created the store"
airlock import v1.bundle --to oci:site --trusted-key k.pub --dry-run --json > new.json
check_json import new.json
jq -e '.dryRun == true and .changed == true and .blobsPresent == 0 and .bytesWritten > 0' new.json > /dev/null ||
    fail "dry run --json: $(cat new.json)"

step "an existing store: what moves, what is present; the store is unchanged"
airlock import v1.bundle --to oci:site --trusted-key k.pub -q > /dev/null
before=$(tree_digest site)
airlock import v2.bundle --to oci:site --trusted-key k.pub --dry-run --json > next.json
check_json import next.json
assert_eq "$(jq -r '.images[0].tagActions[] | select(.tag == "latest") | .action' next.json)" moved "latest"
jq -e '.blobsPresent > 0 and .bytesPresent > 0' next.json > /dev/null || fail "the shared base layer is not counted present: $(cat next.json)"
airlock import v1.bundle --to oci:site --trusted-key k.pub --dry-run > same.txt
grep -q "^localhost/sample:1.0  unchanged" same.txt || fail "a re-import preview: $(cat same.txt)"
assert_eq "$(tree_digest site)" "$before" "the store after dry runs"

step "a store without oci-layout: its index.json is read as the import reads it"
cp -r site nolayout && rm nolayout/oci-layout
airlock import v1.bundle --to oci:nolayout --trusted-key k.pub --dry-run > noclayout.txt
grep -q "^localhost/sample:1.0  unchanged" noclayout.txt || fail "index.json was not read: $(cat noclayout.txt)"
mkdir garbage && printf 'not json' > garbage/index.json
expect_fail 4 "index.json" airlock import v1.bundle --to oci:garbage --trusted-key k.pub --dry-run

step "every refusal of import, with its exit code, and nothing written"
expect_fail 5 "" airlock import v2.bundle --to oci:site --trusted-key other.pub --dry-run
airlock import v2.bundle --to oci:site --trusted-key k.pub -q > /dev/null
before=$(tree_digest site)
expect_fail 6 "older|sequence" airlock import v1.bundle --to oci:site --trusted-key k.pub --dry-run
SOURCE_DATE_EPOCH=1000000000 airlock pack "oci:$images/sample:1.0" -o old.bundle --sign-key k.key --expires 1d -q > /dev/null
expect_fail 6 "expired" airlock import old.bundle --to oci:site --trusted-key k.pub --dry-run
airlock pack "oci:$images/sample:1.0" -o plain.bundle --sign-key k.key --compression none -q > /dev/null
$tamper plain.bundle flipped.bundle flip-layer
expect_fail 4 "" airlock import flipped.bundle --to oci:fresh --trusted-key k.pub --dry-run
test ! -e fresh || fail "a refused dry run created the store"
airlock inventory --store oci:site -o inv.json -q
cp -r "$images/sample" app && chmod -R u+w app
umoci config --image app:2.0 --tag 2.1 --config.label org.opencontainers.image.version=2.1.0
airlock pack oci:app:2.1 --since inv.json -o diff.bundle --sign-key k.key -q > /dev/null
airlock import diff.bundle --to oci:site --trusted-key k.pub --dry-run -q > /dev/null
expect_fail 1 "needs blob sha256:[0-9a-f]{64} .*which oci:other does not hold" \
    airlock import diff.bundle --to oci:other --trusted-key k.pub --dry-run
assert_eq "$(tree_digest site)" "$before" "the store after refused dry runs"

step "a registry: tags decided against its own, blobs counted by HEAD, nothing pushed"
start_registry tls reg
access="--cert-dir $CERT_DIR"
to="docker://$REGISTRY/site"
# shellcheck disable=SC2086
airlock import v1.bundle --to "$to" --trusted-key k.pub $access --dry-run --json > reg-new.json
check_json import reg-new.json
jq -e '.dryRun == true and .blobsWritten > 0 and .blobsPresent == 0' reg-new.json > /dev/null ||
    fail "registry dry run: $(cat reg-new.json)"
assert_eq "$(jq -r '[.images[0].tagActions[].action] | unique | join(" ")' reg-new.json)" added
grep -Eq '"(PUT|POST|PATCH|DELETE) ' "$REGISTRY_LOG" && fail "a dry run wrote to the registry: $(grep -E '"(PUT|POST|PATCH|DELETE) ' "$REGISTRY_LOG" | head -n 3)"
# Nor to this machine's ledger of the store: no file, no lock left behind or held.
ledgers=/var/lib/airlock/state/channels
[ "$(id -u)" = 0 ] || ledgers=$HOME/.local/share/airlock/state/channels
port=${REGISTRY##*:}
if ls "$ledgers" 2> /dev/null | grep -F "_$port-"; then
    fail "a dry run left files in $ledgers"
fi
# shellcheck disable=SC2086
airlock import v1.bundle --to "$to" --trusted-key k.pub $access -q > /dev/null
# shellcheck disable=SC2086
airlock import v2.bundle --to "$to" --trusted-key k.pub $access --dry-run > reg-next.txt
grep -q "^$REGISTRY/site/sample:latest  would be moved" reg-next.txt || fail "registry latest preview: $(cat reg-next.txt)"
grep -Eq "[1-9][0-9]* already present" reg-next.txt || fail "the shared base layer is not counted present: $(cat reg-next.txt)"
# shellcheck disable=SC2086
airlock import v1.bundle --to "docker://$REGISTRY/other" --trusted-key k.pub $access --dry-run --json > reg-mount.json
jq -e '.blobsMounted > 0 and .blobsWritten == 0' reg-mount.json > /dev/null ||
    fail "blobs pushed to another repository are not counted as mountable: $(cat reg-mount.json)"
# shellcheck disable=SC2086
airlock import v2.bundle --to "$to" --trusted-key k.pub $access -q > /dev/null
# shellcheck disable=SC2086
expect_fail 6 "older|sequence" airlock import v1.bundle --to "$to" --trusted-key k.pub $access --dry-run
# shellcheck disable=SC2086
airlock import diff.bundle --to "$to" --trusted-key k.pub $access --dry-run -q > /dev/null ||
    fail "the registry holds what diff.bundle needs"
# Without this machine's record of where it pushed them, nothing can be mounted.
XDG_CACHE_HOME="$t/fresh-cache" expect_fail 1 "needs blob sha256:[0-9a-f]{64} .*which docker://$REGISTRY/empty does not hold" \
    airlock import diff.bundle --to "docker://$REGISTRY/empty" --trusted-key k.pub --cert-dir "$CERT_DIR" --dry-run

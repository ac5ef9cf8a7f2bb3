# A Bearer token that expires in the middle of a long import is renewed. The bundle reaches the
# import through a FIFO that pauses between two blobs for longer than the token lives (2 s)
# plus the minute of leeway the registry grants after expiry; the import must answer the 401
# with a new token and finish, every tag in place. Takes about 70 s, nearly all of it waiting.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key --compression none -q > /dev/null
export TOKEN_LIFETIME=2
start_registry token reg
access="--cert-dir $CERT_DIR --creds $REG_USER:$REG_PASS"

# The end of the largest blob's entry in the (plain tar) bundle: the pause goes there.
split=$(python3 -c '
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    blob = max((m for m in t.getmembers() if m.name.startswith("blobs/")), key=lambda m: m.size)
    print(blob.offset_data + (blob.size + 511) // 512 * 512)' a.bundle)

step "a token that expires during the import is renewed"
mkfifo pipe
# shellcheck disable=SC2086
airlock import pipe --to "docker://$REGISTRY/site" --trusted-key k.pub $access --json > import.json 2> import.err &
import_pid=$!
background_pids="$background_pids $import_pid"
{
    head -c "$split" a.bundle
    sleep 3
    wc -l < "$t/reg/token.log" > tokens.before
    grep -c '" 401 ' "$REGISTRY_LOG" > refusals.before || true
    sleep 63
    tail -c "+$((split + 1))" a.bundle
} > pipe
wait "$import_pid" || fail "the import did not survive its token's expiry: $(cat import.err)"
[ "$(wc -l < "$t/reg/token.log")" -gt "$(cat tokens.before)" ] || fail "no new token after the pause"
[ "$(grep -c '" 401 ' "$REGISTRY_LOG")" -gt "$(cat refusals.before)" ] ||
    fail "the registry never refused the expired token (did the pause outlast its leeway?)"
# shellcheck disable=SC2086
assert_eq "$(registry_digest --cert-dir "$CERT_DIR/$REGISTRY" --creds "$REG_USER:$REG_PASS" \
    "docker://$REGISTRY/site/sample:1.0")" "$(airlock inspect a.bundle --json | jq -r '.images[0].digest')" \
    "site/sample:1.0 after the renewal"

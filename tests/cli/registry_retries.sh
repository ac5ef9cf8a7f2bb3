# Every retry loop ends: a registry (tests/fixtures/fault_proxy.py in front of a real one) that answers
# 416 to every blob request, or cuts every transfer half way, makes pack fail within seconds with
# exit 3 and a message naming the cause, after a bounded number of requests.
. "$(dirname "$0")/common.sh"

make_key k
start_registry plain reg
push sample:1.0 library/sample:1.0 --dest-tls-verify=false
raw=$(skopeo inspect --tls-verify=false --raw "docker://$REGISTRY/library/sample:1.0")
config=$(echo "$raw" | jq -r '.config.digest')
layer=$(echo "$raw" | jq -r '.layers[0].digest')

# pack_timed PROXY CACHE: pack through the proxy, killed after 60 s; `elapsed` is how long it ran.
pack_timed() {
    started=$(date +%s)
    set +e
    timeout 60 "$AIRLOCK" pack "$1/library/sample:1.0" -o "$2.bundle" --sign-key k.key --cache "$2" \
        --insecure-registry "$1" --jobs 1 > "$t/out" 2> "$t/err"
    got=$?
    set -e
    elapsed=$(($(date +%s) - started))
    echo "exit $got after $elapsed s: $(grep -m 1 "error:" "$t/err" || true)"
    [ "$got" -ne 124 ] || fail "pack was still retrying after 60 s ($(jq -s length "$PROXY_LOG") requests)"
    [ "$got" -eq 3 ] || fail "pack exited $got, expected 3: $(cat "$t/err")"
}

# blob_requests DIGEST: how many GETs of that blob reached the proxy.
blob_requests() {
    jq -c --arg p "/v2/library/sample/blobs/$1" 'select(.method == "GET" and .path == $p)' "$PROXY_LOG" | wc -l
}

step "416 to every blob request, without Range"
start_proxy 416 "http://$REGISTRY"
pack_timed "$PROXY" c-416
grep -Eq "registry $PROXY answered 416 \(range not satisfiable\) to every request for blob sha256:[0-9a-f]{64}.*; gave up after 1 attempt" "$t/err" ||
    fail "the cause was not said: $(cat "$t/err")"
[ "$elapsed" -lt 15 ] || fail "took $elapsed s"
[ "$(jq -s length "$PROXY_LOG")" -lt 20 ] || fail "$(jq -s length "$PROXY_LOG") requests"

step "416 to a Range request resuming a partial file, then to the request from the start"
mkdir -p c-416r/partial
for digest in "$config" "$layer"; do
    printf 'partial' > "c-416r/partial/${digest#sha256:}"
done
rm "$t/proxy-416.port" "$PROXY_LOG"
start_proxy 416 "http://$REGISTRY"
pack_timed "$PROXY" c-416r
grep -Eq "registry $PROXY answered 416 \(range not satisfiable\) to every request for blob sha256:[0-9a-f]{64}, from byte 7, then from the start; gave up after 2 attempts" "$t/err" ||
    fail "the cause was not said: $(cat "$t/err")"
log_has "$PROXY_LOG" 'select(.range == "bytes=7-")' || fail "no Range request"
[ "$elapsed" -lt 15 ] || fail "took $elapsed s"

step "a transfer cut half way every time"
start_proxy always-cut "http://$REGISTRY"
pack_timed "$PROXY" c-cut
grep -Eq "transfer of blob sha256:[0-9a-f]{64} from registry $PROXY broke 5 times \(last: .*\); gave up after 5 attempts in [0-9]+ s" "$t/err" ||
    fail "the cause was not said: $(cat "$t/err")"
[ "$elapsed" -lt 30 ] || fail "took $elapsed s"
for digest in $(jq -r '.path | select(test("/blobs/")) | sub(".*/blobs/"; "")' "$PROXY_LOG" | sort -u); do
    [ "$(blob_requests "$digest")" -le 5 ] || fail "$(blob_requests "$digest") requests for $digest"
done
test ! -e c-cut.bundle || fail "a bundle was written"

step "a cached blob damaged after it was cached (a power failure: the cache is not fsynced) heals"
airlock pack "$REGISTRY/library/sample:1.0" -o healthy.bundle --sign-key k.key --cache c-heal \
    --insecure-registry "$REGISTRY" -q 2> /dev/null
# The same size, other bytes: what a file written back only in part looks like.
for digest in "$config" "$layer"; do
    f=c-heal/blobs/sha256/${digest#sha256:}
    size=$(stat -c %s "$f")
    head -c "$size" /dev/zero > "$f"
done
expect_fail 4 "blob $layer .*does not match its digest" \
    airlock pack "$REGISTRY/library/sample:1.0" -o damaged.bundle --sign-key k.key --cache c-heal \
    --insecure-registry "$REGISTRY"
grep -q "the cached copy of $layer is removed: the next pack downloads it again" "$t/err" ||
    fail "the message does not say the damaged layer was removed: $(cat "$t/err")"
grep -q "the cached copy of config $config was damaged; fetching it again" "$t/err" ||
    fail "the damaged config was not fetched again: $(cat "$t/err")"
test ! -e damaged.bundle || fail "a bundle was written from a damaged cache"
test ! -e "c-heal/blobs/sha256/${layer#sha256:}" || fail "the damaged layer stayed in the cache"
airlock pack "$REGISTRY/library/sample:1.0" -o healed.bundle --sign-key k.key --cache c-heal \
    --insecure-registry "$REGISTRY" -q 2> /dev/null
cmp healthy.bundle healed.bundle || fail "the pack after the damage differs from the one before"

# Faults a real registry will not produce on purpose, injected by tests/fixtures/fault_proxy.py in
# front of a real one: a corrupted blob, a transfer cut half way (resumed with Range), a stalled
# transfer, 429/503 with Retry-After, and a redirect to another origin (no credentials follow);
# and a real registry that is down when pack starts and comes back.
. "$(dirname "$0")/common.sh"

make_key k
start_registry plain reg
push sample:1.0 library/sample:1.0 --dest-tls-verify=false
plain_registry=$REGISTRY
layer=$(skopeo inspect --tls-verify=false --raw "docker://$REGISTRY/library/sample:1.0" | jq -r '.layers[0].digest')
layer_size=$(skopeo inspect --tls-verify=false --raw "docker://$REGISTRY/library/sample:1.0" | jq -r '.layers[0].size')

pack_via() { # PROXY CACHE [ARGS...]
    proxy=$1
    cache=$2
    shift 2
    airlock pack "$proxy/library/sample:1.0" -o "$cache.bundle" --sign-key k.key --cache "$cache" \
        --insecure-registry "$proxy" "$@"
}

step "a plain-HTTP registry without --insecure-registry is named at once, not retried"
start=$(date +%s)
expect_fail 3 "$REGISTRY speaks plain HTTP, not HTTPS: add --insecure-registry $REGISTRY" \
    airlock pack "$REGISTRY/library/sample:1.0" -o plain.bundle --sign-key k.key --cache c-plain
test $(($(date +%s) - start)) -lt 5 || fail "the TLS-vs-plain mismatch was retried"

step "Docker schema 1 is refused with a clear message"
start_proxy schema1 "http://$REGISTRY"
expect_fail 1 "is a Docker schema 1 image, which is deprecated and not supported" pack_via "$PROXY" c-schema1

step "a corrupted blob is detected and nothing is cached"
start_proxy corrupt "http://$REGISTRY"
expect_fail 4 "blob sha256:[0-9a-f]{64} as served does not match its digest .*nothing cached" pack_via "$PROXY" c-corrupt
test -z "$(ls c-corrupt/blobs/sha256 2> /dev/null || true)" || fail "a corrupt blob was cached"
test -z "$(ls c-corrupt/partial 2> /dev/null || true)" || fail "partial files left: $(ls c-corrupt/partial)"
test ! -e c-corrupt.bundle || fail "a bundle was written"

step "a transfer cut half way resumes with a Range request from the partial file"
start_proxy cut "http://$REGISTRY"
pack_via "$PROXY" c-cut > cut.out 2> cut.err
grep -q "transfer of $layer broke at $((layer_size / 2)) of $layer_size bytes; resuming" cut.err || fail "no resume message"
log_has "$PROXY_LOG" --arg p "/v2/library/sample/blobs/$layer" --arg r "bytes=$((layer_size / 2))-" \
    'select(.path == $p and .range == $r)' || fail "no Range request for the second half"
airlock verify c-cut.bundle --trusted-key k.pub -q > /dev/null

step "a stalled transfer is detected and resumed"
start_proxy stall "http://$REGISTRY"
pack_via "$PROXY" c-stall --stall-timeout 2 > stall.out 2> stall.err
grep -q "transfer stalled" stall.err || fail "the stall was not reported"
log_has "$PROXY_LOG" --arg p "/v2/library/sample/blobs/$layer" 'select(.path == $p and .range != null)' ||
    fail "the stalled transfer was not resumed with Range"

step "a slow transfer that keeps moving is not cut off"
start_proxy slow "http://$REGISTRY"
# The layer takes about 4 s at 16 KiB per 0.25 s; the stall window is 2 s.
pack_via "$PROXY" c-slow --stall-timeout 2 --jobs 1 > slow.out 2> slow.err
if grep -q "broke at" slow.err; then
    fail "a slow but moving transfer was cut: $(cat slow.err)"
fi
if log_has "$PROXY_LOG" 'select(.range != null)'; then
    fail "a slow transfer was resumed"
fi
airlock verify c-slow.bundle --trusted-key k.pub -q > /dev/null

step "429 and 503 are retried, honouring Retry-After"
start_proxy throttle "http://$REGISTRY"
pack_via "$PROXY" c-throttle > throttle.out 2> throttle.err
grep -Eq "answered 429; retry [0-9] of 4" throttle.err || fail "429 not retried"
grep -Eq "answered 503; retry [0-9] of 4" throttle.err || fail "503 not retried"
airlock verify c-throttle.bundle --trusted-key k.pub -q > /dev/null

step "a redirect to another origin gets no credentials"
start_registry basic reg-basic
push sample:1.0 library/sample:1.0 --dest-cert-dir "$CERT_DIR/$REGISTRY" --dest-creds "$REG_USER:$REG_PASS"
start_proxy redirect "https://$REGISTRY" --cafile "$CA" --upstream-auth "$REG_USER:$REG_PASS"
pack_via "$PROXY" c-redirect --creds "$REG_USER:$REG_PASS" -q > /dev/null
log_has "$PROXY_LOG" 'select(.server == "registry" and (.path | test("/blobs/")) and .authorization)' ||
    fail "the registry itself never got credentials"
log_has "$PROXY_LOG" 'select(.server == "storage")' || fail "the redirect was not followed"
if log_has "$PROXY_LOG" 'select(.server == "storage" and .authorization)'; then
    fail "credentials followed the redirect to another origin"
fi
airlock verify c-redirect.bundle --trusted-key k.pub -q > /dev/null

step "a registry that is down when pack starts is retried, and pack succeeds once it is back"
"$AIRLOCK_SOURCE/scripts/test-registry" stop "$t/reg"
airlock pack "$plain_registry/library/sample:1.0" -o c-down.bundle --sign-key k.key --cache c-down \
    --insecure-registry "$plain_registry" > down.out 2> down.err &
pack_pid=$!
sleep 1
REGISTRY_PORT=${plain_registry##*:} "$AIRLOCK_SOURCE/scripts/test-registry" start plain "$t/reg"
wait "$pack_pid" || fail "pack did not outlast the registry's absence: $(cat down.err)"
grep -Eq "registry $plain_registry: .*; retry 1 of 4 in 500 ms" down.err || fail "no retry said: $(cat down.err)"
airlock verify c-down.bundle --trusted-key k.pub -q > /dev/null

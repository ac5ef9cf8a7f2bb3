# A TLS registry whose Bearer challenge names a plain-HTTP token realm on another port: airlock
# sends it nothing (neither the password nor an anonymous token request) and says why in one
# line, unless that realm's host:port is itself given with --insecure-registry.
. "$(dirname "$0")/common.sh"

make_key k
TOKEN_PLAIN=1 start_registry token reg
push sample:1.0 library/sample:1.0 --dest-cert-dir "$CERT_DIR/$REGISTRY" --dest-creds "$REG_USER:$REG_PASS"
: > "$TOKEN_LOG" # what skopeo's push asked is not under test

pack_realm() { # CACHE [ARGS...]
    cache=$1
    shift
    airlock pack "$REGISTRY/library/sample:1.0" -o "$cache.bundle" --sign-key k.key --cache "$cache" \
        --cert-dir "$CERT_DIR" "$@"
}

realm_pattern="token realm http://$TOKEN_REALM/token of registry $REGISTRY is plain HTTP"

step "credentials are not sent to a plain-HTTP realm"
expect_fail 3 "$realm_pattern" pack_realm c1 --creds "$REG_USER:$REG_PASS"
# One line says it all (the lines after it are the usual indented context).
grep "^airlock: error: " "$t/err" | grep -q -- "$realm_pattern.*--insecure-registry $TOKEN_REALM to allow it" ||
    fail "the error line does not name the realm and how to allow it: $(cat "$t/err")"
if [ -s "$TOKEN_LOG" ]; then
    fail "the plain-HTTP realm was contacted: $(cat "$TOKEN_LOG")"
fi
if grep -rq "$REG_PASS" "$t/reg/token.out" "$t/err" "$t/out"; then
    fail "the password leaked"
fi
test ! -e c1.bundle || fail "a bundle was written"

step "nor is an anonymous token request"
expect_fail 3 "$realm_pattern" pack_realm c2
if [ -s "$TOKEN_LOG" ]; then
    fail "the plain-HTTP realm was contacted: $(cat "$TOKEN_LOG")"
fi

step "with --insecure-registry for the realm, pack proceeds"
pack_realm c3 --creds "$REG_USER:$REG_PASS" --insecure-registry "$TOKEN_REALM" > ok.out 2> ok.err
grep -q "token realm http://$TOKEN_REALM/token .* is plain HTTP (--insecure-registry)" ok.err ||
    fail "the insecure realm was not said: $(cat ok.err)"
log_has "$TOKEN_LOG" 'select(.credentials)' || fail "the token server never saw credentials"
airlock verify c3.bundle --trusted-key k.pub -q > /dev/null

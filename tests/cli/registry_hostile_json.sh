# No answer of a registry or its token service crashes airlock: tests/fixtures/fault_proxy.py in front
# of a real registry replaces error documents, token responses and manifests with JSON of the
# wrong shape, and each pack ends with an error and its exit code (3 for the registry's own
# documents, 4 for a malformed image manifest), never an abort.
. "$(dirname "$0")/common.sh"

make_key k
start_registry plain reg
push sample:1.0 library/sample:1.0 --dest-tls-verify=false

# pack_hostile FAULT BODY EXIT PATTERN: pack through a proxy sending BODY must exit EXIT saying
# PATTERN.
pack_hostile() {
    rm -f "$t/proxy-$1.port" "$t/proxy-$1.log"
    start_proxy "$1" "http://$REGISTRY" --body "$2"
    expect_fail "$3" "$4" airlock pack "$PROXY/library/sample:1.0" -o x.bundle --sign-key k.key \
        --cache c --insecure-registry "$PROXY"
    if grep -Eq "terminate called|AddressSanitizer|runtime error|Aborted" "$t/err"; then
        fail "crashed on $2: $(cat "$t/err")"
    fi
}

proxy='127\.0\.0\.1:[0-9]+' # each case has its own proxy

step "registry error documents of the wrong shape"
for body in '{"errors":[1]}' '{"errors":"x"}' '{"errors":{"code":1}}' '{"errors":[{"code":5,"message":6}]}' \
    '{"errors":[{"code":[],"message":{}}]}' '{"errors":[null]}' '[1]' '5' 'null' 'not json'; do
    pack_hostile error-body "$body" 3 "registry answered 400 for $proxy/library/sample:1.0$"
done
pack_hostile error-body '{"errors":[{"code":5,"message":"no \u001b[31mway"}]}' 3 \
    "registry answered 400 for $proxy/library/sample:1.0: no  \[31mway$"
if grep -q "$(printf '\033')" "$t/err"; then
    fail "the registry's escape sequence reached the terminal"
fi

step "token responses of the wrong shape"
for body in '{"token":5}' '{"access_token":[]}' '{"token":null,"access_token":{}}' \
    '{"token":"","expires_in":"soon"}' '{"expires_in":"300"}' '[1]' '"x"' '5'; do
    pack_hostile token-body "$body" 3 "token service of $proxy sent no (JSON )?token"
done
pack_hostile token-body '{"token":"a\r\nX-Injected: 1"}' 3 "token service of $proxy sent a token that is not visible ASCII"

step "manifests of the wrong shape"
for body in '{"schemaVersion":"2"}' '{"schemaVersion":"1"}' '{"schemaVersion":2,"mediaType":5}' \
    '{"schemaVersion":2,"config":[],"layers":{}}' '{"schemaVersion":2,"config":{"digest":5,"size":"1"},"layers":[]}' \
    '{"manifests":5}' '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[1]}' \
    '[]' '"x"'; do
    pack_hostile manifest-body "$body" 4 "^airlock: error: "
done

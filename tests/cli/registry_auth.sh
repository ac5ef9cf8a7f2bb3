# Pack from a real registry in each configuration: plain HTTP, TLS with a test CA, htpasswd
# Basic auth and token auth; wrong and missing credentials, unknown images, TLS failures;
# credentials never leak; the round trip keeps the registry's manifest digests.
. "$(dirname "$0")/common.sh"

make_key k

for mode in plain tls basic token; do
    step "$mode registry"
    start_registry "$mode" "reg-$mode"
    case $mode in
    plain)
        dest_tls="--dest-tls-verify=false"
        src_tls="--tls-verify=false"
        access="--insecure-registry $REGISTRY"
        ;;
    *)
        dest_tls="--dest-cert-dir $CERT_DIR/$REGISTRY"
        src_tls="--cert-dir $CERT_DIR/$REGISTRY"
        access="--cert-dir $CERT_DIR"
        ;;
    esac
    creds=""
    src_creds=""
    if [ "$mode" = basic ] || [ "$mode" = token ]; then
        creds="--creds $REG_USER:$REG_PASS"
        dest_tls="$dest_tls --dest-creds $REG_USER:$REG_PASS"
        src_creds="--creds $REG_USER:$REG_PASS"
    fi
    # shellcheck disable=SC2086
    push sample:1.0 library/sample:1.0 $dest_tls
    # shellcheck disable=SC2086
    push multi:ltsc base/multi:ltsc --all $dest_tls

    # shellcheck disable=SC2086
    airlock pack "$REGISTRY/library/sample:1.0" "docker://$REGISTRY/base/multi:ltsc" --all-platforms \
        -o "$mode.bundle" --sign-key k.key --cache "cache-$mode" $access $creds > "pack-$mode.out" 2> "pack-$mode.err"
    airlock verify "$mode.bundle" --trusted-key k.pub -q > /dev/null
    airlock import "$mode.bundle" --to "oci:store-$mode" --trusted-key k.pub -q > /dev/null

    # The store holds the registry's own manifests, byte for byte.
    # shellcheck disable=SC2086
    want=$(registry_digest $src_tls $src_creds "docker://$REGISTRY/library/sample:1.0")
    assert_eq "$(skopeo inspect "oci:store-$mode:$REGISTRY/library/sample:1.0" | jq -r .Digest)" "$want" "sample digest ($mode)"
    # shellcheck disable=SC2086
    want=$(registry_digest $src_tls $src_creds "docker://$REGISTRY/base/multi:ltsc")
    assert_eq "$(registry_digest "oci:store-$mode:$REGISTRY/base/multi:ltsc")" "$want" "index digest ($mode)"
    skopeo inspect "oci:store-$mode:$REGISTRY/library/sample:1.0.3" > /dev/null

    # Secrets appear nowhere: not in output, logs or the bundle.
    if [ -n "$creds" ]; then
        # The bundle is searched decompressed: its zstd bytes would hide the password.
        zstd -dq < "$mode.bundle" > "$mode.tar"
        for f in "pack-$mode.out" "pack-$mode.err" "$mode.tar"; do
            if grep -aq "$REG_PASS" "$f"; then
                fail "the password leaked into $f"
            fi
        done
        rm "$mode.tar"
    fi

    step "$mode: unknown image and tag"
    # shellcheck disable=SC2086
    expect_fail 1 "image $REGISTRY/library/sample:9.9 not found \(MANIFEST_UNKNOWN" \
        airlock pack "$REGISTRY/library/sample:9.9" -o x.bundle --sign-key k.key --cache "cache-$mode" $access $creds
    # shellcheck disable=SC2086
    expect_fail 1 "not found" \
        airlock pack "$REGISTRY/nothing/here:1" -o x.bundle --sign-key k.key --cache "cache-$mode" $access $creds
    test ! -e x.bundle || fail "a failed pack left x.bundle"
done

step "TLS is verified: without the CA the pack fails"
expect_fail 3 "TLS verification of https://$REGISTRY/v2/ failed" \
    airlock pack "$REGISTRY/library/sample:1.0" -o x.bundle --sign-key k.key --creds "$REG_USER:$REG_PASS"

step "token auth: wrong password, no credentials"
expect_fail 3 "authentication to $REGISTRY failed: the token service refused the credentials \(wrong username or password\?\)" \
    airlock pack "$REGISTRY/library/sample:1.0" -o x.bundle --sign-key k.key --cert-dir "$CERT_DIR" --creds "$REG_USER:nope"
expect_fail 3 "refused anonymous access" \
    airlock pack "$REGISTRY/library/sample:1.0" -o x.bundle --sign-key k.key --cert-dir "$CERT_DIR"
grep -q '"credentials": true' "$TOKEN_LOG" || fail "the token server never saw credentials"

step "token auth: credentials from an auth file and from \$DOCKER_CONFIG"
auth=$(printf '%s' "$REG_USER:$REG_PASS" | base64 -w0)
mkdir -p conf
printf '{"auths":{"%s":{"auth":"%s"}}}' "$REGISTRY" "$auth" > conf/config.json
airlock pack "$REGISTRY/library/sample:1.0" -o a.bundle --sign-key k.key --cert-dir "$CERT_DIR" --cache c1 \
    --authfile conf/config.json -q > /dev/null
DOCKER_CONFIG=$t/conf airlock pack "$REGISTRY/library/sample:1.0" -o b.bundle --sign-key k.key \
    --cert-dir "$CERT_DIR" --cache c2 -q > /dev/null
cmp a.bundle b.bundle

step "token auth: \$REGISTRY_AUTH_FILE, and the cert dir from \$AIRLOCK_CERT_DIR"
REGISTRY_AUTH_FILE=$t/conf/config.json AIRLOCK_CERT_DIR=$CERT_DIR airlock pack "$REGISTRY/library/sample:1.0" \
    -o e.bundle --sign-key k.key --cache c4 -q > /dev/null
cmp a.bundle e.bundle
expect_fail 1 "auth file $t/nope.json does not exist" env REGISTRY_AUTH_FILE="$t/nope.json" \
    "$AIRLOCK" pack "$REGISTRY/library/sample:1.0" -o x.bundle --sign-key k.key --cert-dir "$CERT_DIR"

step "token auth: the password from stdin, never on the command line"
printf '%s\n' "$REG_PASS" | airlock pack "$REGISTRY/library/sample:1.0" -o d.bundle --sign-key k.key \
    --cert-dir "$CERT_DIR" --cache c3 --creds "$REG_USER" --password-stdin -q > /dev/null
cmp a.bundle d.bundle
printf 'nope\n' > wrong.txt
expect_fail 3 "refused the credentials" sh -c "\"$AIRLOCK\" pack $REGISTRY/library/sample:1.0 -o x.bundle --sign-key k.key \
    --cert-dir $CERT_DIR --creds $REG_USER --password-stdin < wrong.txt"
expect_fail 2 "--password-stdin needs --creds USER" \
    airlock pack "$REGISTRY/library/sample:1.0" -o x.bundle --sign-key k.key --password-stdin < /dev/null

step "basic auth: wrong password, no credentials"
. "$t/reg-basic/env"
expect_fail 3 "registry $REGISTRY refused the credentials for repository:library/sample:pull" \
    airlock pack "$REGISTRY/library/sample:1.0" -o x.bundle --sign-key k.key --cert-dir "$CERT_DIR" --creds "$REG_USER:nope"
expect_fail 3 "registry $REGISTRY requires credentials" \
    airlock pack "$REGISTRY/library/sample:1.0" -o x.bundle --sign-key k.key --cert-dir "$CERT_DIR"

# Channels of registry stores, against a real registry: the mark is kept in the registry itself
# (an artifact in PREFIX/airlock-state tagged channel-NAME), so a second machine importing into
# the same registry refuses a rollback; however the registry host is spelled (localhost,
# 127.0.0.1), one store has one mark; a damaged record refuses (exit 6) until repaired; and
# --channel-state local keeps the mark only on this machine.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" --channel monthly --sequence 4 -o s4.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" --channel monthly --sequence 5 -o s5.bundle --sign-key k.key -q > /dev/null
start_registry plain reg
port=${REGISTRY##*:}
insecure="--insecure-registry localhost:$port --insecure-registry 127.0.0.1:$port"

# The local channel ledgers of this test's stores (as root, airlock's state is in /var/lib).
if [ "$(id -u)" = 0 ]; then
    ledgers() { ls /var/lib/airlock/state/channels/docker-localhost_"$port"-* 2> /dev/null || true; }
else
    ledgers() { ls "$XDG_DATA_HOME"/airlock/state/channels/docker-localhost_"$port"-* 2> /dev/null || true; }
fi

# machine NAME: a machine of its own (home, caches, no local channel state of this registry),
# for the commands that follow.
machine() {
    export HOME="$t/$1" XDG_CACHE_HOME="$t/$1/cache" XDG_DATA_HOME="$t/$1/data"
    mkdir -p "$HOME"
    for f in $(ledgers); do rm -f "$f"; done
}

step "the mark is kept in the registry: a second machine refuses the rollback"
machine a
# shellcheck disable=SC2086
airlock import s5.bundle --to "docker://localhost:$port/site" --trusted-key k.pub $insecure -q > /dev/null
skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$port/site/airlock-state:channel-monthly" > record.json
jq -e '.artifactType == "application/vnd.airlock.channel.v1+json" and (.layers | length) == 0' record.json > /dev/null
config=$(jq -r .config.digest record.json)
curl -sf "http://127.0.0.1:$port/v2/site/airlock-state/blobs/$config" > mark.json
jq -e '.channel == "monthly" and .sequence == 5' mark.json > /dev/null
machine b
test -z "$(ledgers)" || fail "machine b has local state already: $(ledgers)"
# shellcheck disable=SC2086
expect_fail 6 "channel 'monthly' is at sequence 5 in this store; this bundle is 4" \
    airlock import s4.bundle --to "docker://127.0.0.1:$port/site" --trusted-key k.pub $insecure
if skopeo inspect --tls-verify=false "docker://127.0.0.1:$port/site/sample:1.0" > /dev/null 2>&1; then
    fail "the refused bundle was pushed"
fi
# shellcheck disable=SC2086
airlock import s5.bundle --to "docker://127.0.0.1:$port/site" --trusted-key k.pub $insecure -q > /dev/null

step "--channel-state local: however the host is spelled, one store has one mark"
machine c
test -z "$(ledgers)" || fail "machine c has local state already: $(ledgers)"
# shellcheck disable=SC2086
airlock import s5.bundle --to "docker://localhost:$port/local/" --channel-state local --trusted-key k.pub $insecure -q > /dev/null
if skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$port/local/airlock-state:channel-monthly" > /dev/null 2>&1; then
    fail "--channel-state local wrote a record into the registry"
fi
# shellcheck disable=SC2086
expect_fail 6 "channel 'monthly' is at sequence 5 in this store; this bundle is 4" \
    airlock import s4.bundle --to "docker://127.0.0.1:$port/local" --channel-state local --trusted-key k.pub $insecure
expect_fail 2 "--channel-state applies to docker:// stores only" \
    airlock import s4.bundle --to oci:x --channel-state local --trusted-key k.pub

step "a damaged record in the registry refuses channel bundles (exit 6)"
machine d
echo '{"channel":"monthly","sequence":"9"}' > bad.json
# A well-formed artifact whose mark is not: pushed with the registry API by hand.
bad_digest="sha256:$(sha256sum < bad.json | cut -d' ' -f1)"
location=$(curl -sf -D - -o /dev/null -X POST "http://127.0.0.1:$port/v2/site/airlock-state/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
case $location in /*) location="http://127.0.0.1:$port$location" ;; esac
case $location in *\?*) sep='&' ;; *) sep='?' ;; esac
curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary @bad.json "$location${sep}digest=$bad_digest" > /dev/null
jq -c --arg d "$bad_digest" --argjson s "$(wc -c < bad.json)" '.config.digest = $d | .config.size = $s' record.json > bad-record.json
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @bad-record.json \
    "http://127.0.0.1:$port/v2/site/airlock-state/manifests/channel-monthly" > /dev/null
# shellcheck disable=SC2086
expect_fail 6 "channel record .*airlock-state:channel-monthly cannot be used .*delete it deliberately" \
    airlock import s5.bundle --to "docker://localhost:$port/site" --trusted-key k.pub $insecure
for f in $(ledgers); do rm -f "$f"; done

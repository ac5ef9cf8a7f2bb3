# airlock.exe reaches Docker Engine over its named pipe: a real dockerd (scripts/services) on
# 127.0.0.1:PORT behind tests/windows/pipe_relay.exe serving \\.\pipe\docker_engine under Wine.
# The default address, DOCKER_HOST=npipe://... and --to docker-engine:npipe://... all load and
# tag; `docker images` shows every tag; latest and re-import rules as on Linux; a tampered
# bundle adds nothing. (A Linux engine runs no Windows images: the transport and the API calls
# are what is tested.) Runs only against airlock.exe (scripts/test).
. "$(dirname "$0")/common.sh"

[ -n "$airlock_windows" ] || skip "tests airlock.exe's named-pipe client (AIRLOCK=.../airlock.exe)"
relay_exe=${AIRLOCK_PIPE_RELAY:-$(dirname "$airlock_windows")/../../tests/pipe_relay.exe}
[ -f "$relay_exe" ] || fail "no pipe relay at $relay_exe (scripts/build windows builds it)"

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" -o b.bundle --sign-key k.key -q > /dev/null
AIRLOCK_DOCKER_TCP=1 start_service docker docker
docker() { /usr/bin/docker --host "unix://$DOCKER_SOCK" "$@"; }

# start_relay NAME: \\.\pipe\NAME in front of the engine, until the test ends.
start_relay() {
    AIRLOCK_WINEPREFIX=$wine_prefix "$AIRLOCK_SOURCE/scripts/wine-run" "$relay_exe" "\\\\.\\pipe\\$1" \
        "$DOCKER_TCP_PORT" > "relay-$1.out" 2> "relay-$1.err" &
    background_pids="$background_pids $!"
    for _ in $(seq 1 300); do
        grep -q ready "relay-$1.out" 2> /dev/null && return 0
        sleep 0.1
    done
    fail "the pipe relay did not start: $(cat "relay-$1.err")"
}
start_relay docker_engine
start_relay airlock_engine

step "the default address is Windows' named pipe"
airlock import a.bundle --to docker-engine --trusted-key k.pub --json > a.json
assert_eq "$(jq -r .store a.json)" "docker-engine:npipe:////./pipe/docker_engine"
docker images --format '{{.Repository}}:{{.Tag}}' | sort > tags.txt
assert_eq "$(tr '\n' ' ' < tags.txt)" "localhost/sample:1.0 localhost/sample:1.0.3 localhost/sample:latest "

step "DOCKER_HOST=npipe://...: a newer bundle moves latest"
DOCKER_HOST='npipe:////./pipe/airlock_engine' airlock import b.bundle --to docker-engine --trusted-key k.pub -q
assert_eq "$(docker image inspect localhost/sample:latest | jq -r '.[0].Id')" \
    "$(docker image inspect localhost/sample:2.0 | jq -r '.[0].Id')" "latest after the newer bundle"
docker images --format '{{.Repository}}:{{.Tag}}' | sort > tags.txt
assert_eq "$(tr '\n' ' ' < tags.txt)" \
    "localhost/sample:1.0 localhost/sample:1.0.3 localhost/sample:2.0 localhost/sample:2.0.0 localhost/sample:latest "

step "--to docker-engine:npipe://: re-import changes nothing; the older bundle does not move latest"
airlock import b.bundle --to 'docker-engine:npipe:////./pipe/docker_engine' --trusted-key k.pub > again.txt
grep -q "nothing changed" again.txt || fail "re-import changed something: $(cat again.txt)"
airlock import a.bundle --to 'docker-engine:npipe:////./pipe/docker_engine' --trusted-key k.pub > older.txt 2> older.err
grep -q "latest stays at the newer version 2.0.0" older.err || fail "latest moved back: $(cat older.err)"
assert_eq "$(docker image inspect localhost/sample:latest | jq -r '.[0].Id')" \
    "$(docker image inspect localhost/sample:2.0 | jq -r '.[0].Id')" "latest after the older bundle"

step "a tampered bundle adds no image"
before=$(docker images -a -q | sort | tr '\n' ' ')
airlock pack "oci:$images/docker:1.0" -o plain.bundle --sign-key k.key --compression none -q > /dev/null
$tamper plain.bundle flipped.bundle flip-layer
expect_fail 4 "does not match its digest" airlock import flipped.bundle --to docker-engine --trusted-key k.pub
assert_eq "$(docker images -a -q | sort | tr '\n' ' ')" "$before" "engine images after a tampered bundle"

step "no engine behind the pipe: one clear line"
expect_fail 3 "cannot reach the Docker Engine at npipe:////./pipe/nowhere" \
    airlock import a.bundle --to 'docker-engine:npipe:////./pipe/nowhere' --trusted-key k.pub

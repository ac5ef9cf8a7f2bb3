# import --to docker-engine: a private dockerd (scripts/services); every tag visible in
# `docker images`, the right layers in `docker image inspect`, latest never backwards,
# idempotent re-import, and a tampered bundle adds no image.
. "$(dirname "$0")/common.sh"

make_key k
airlock pack "oci:$images/sample:1.0" -o a.bundle --sign-key k.key -q > /dev/null
airlock pack "oci:$images/sample:2.0" "oci:$images/multi:ltsc" --all-platforms -o b.bundle --sign-key k.key -q > /dev/null
start_service docker docker
docker() { /usr/bin/docker --host "unix://$DOCKER_SOCK" "$@"; }
to="docker-engine:unix://$DOCKER_SOCK"

step "a dry run loads and tags nothing"
airlock import a.bundle --to "$to" --trusted-key k.pub --dry-run --json > dry.json
check_json import dry.json
jq -e '.dryRun == true and .blobsWritten > 0 and .blobsPresent == 0' dry.json > /dev/null || fail "dry run: $(cat dry.json)"
assert_eq "$(jq -r '[.images[0].tagActions[].action] | unique | join(" ")' dry.json)" added
assert_eq "$(docker images -a -q | wc -l)" 0 "engine images after a dry run"

step "import and list"
airlock import a.bundle --to "$to" --trusted-key k.pub --json > a.json
assert_eq "$(jq -r .store a.json)" "$to"
docker images --format '{{.Repository}}:{{.Tag}}' | sort > tags.txt
assert_eq "$(tr '\n' ' ' < tags.txt)" "localhost/sample:1.0 localhost/sample:1.0.3 localhost/sample:latest "
# The engine's layers are the bundle's: its diff IDs are those the image config lists.
config=$(zstd -dq < a.bundle | tar -xO bundle.json | jq -r '.blobs[] | select(.mediaType | test("config")) | .digest' | head -n 1)
zstd -dq < a.bundle | tar -xO "blobs/sha256/${config#sha256:}" | jq -c '.rootfs.diff_ids' > want-layers.json
docker image inspect localhost/sample:1.0 | jq -c '.[0].RootFS.Layers' > got-layers.json
assert_eq "$(cat got-layers.json)" "$(cat want-layers.json)" "layers of localhost/sample:1.0"
assert_eq "$(docker image inspect localhost/sample:1.0 | jq -r '.[0].Id')" "$config" "image ID"

step "a newer bundle moves latest; the multi-platform image loads its linux/amd64 image"
airlock import b.bundle --to "$to" --trusted-key k.pub -q > /dev/null
assert_eq "$(docker image inspect localhost/sample:latest | jq -r '.[0].Config.Labels["org.opencontainers.image.version"]')" "2.0.0"
docker image inspect localhost/multi:ltsc | jq -e '.[0].Os == "linux" and .[0].Architecture == "amd64"' > /dev/null

step "a dry run of what the engine has: present, unchanged; of an older bundle: latest kept"
airlock import b.bundle --to "$to" --trusted-key k.pub --dry-run --json > dry-again.json
jq -e '.blobsWritten == 0 and .blobsPresent > 0 and .changed == false' dry-again.json > /dev/null || fail "dry run of a loaded bundle: $(cat dry-again.json)"
airlock import a.bundle --to "$to" --trusted-key k.pub --dry-run > dry-older.txt 2> dry-older.err
grep -q "^localhost/sample:latest  kept" dry-older.txt || fail "latest preview: $(cat dry-older.txt)"

step "re-import changes nothing; an older bundle does not move latest"
airlock import b.bundle --to "$to" --trusted-key k.pub > again.txt
grep -q "nothing changed" again.txt || fail "re-import changed something: $(cat again.txt)"
airlock import a.bundle --to "$to" --trusted-key k.pub > older.txt 2> older.err
grep -q "latest stays at the newer version 2.0.0" older.err || fail "latest moved back"
assert_eq "$(docker image inspect localhost/sample:latest | jq -r '.[0].Config.Labels["org.opencontainers.image.version"]')" "2.0.0"

step "a tampered bundle adds no image"
before=$(docker images -a -q | sort | tr '\n' ' ')
airlock pack "oci:$images/docker:1.0" -o plain.bundle --sign-key k.key --compression none -q > /dev/null
$tamper plain.bundle flipped.bundle flip-layer
expect_fail 4 "does not match its digest" airlock import flipped.bundle --to "$to" --trusted-key k.pub
assert_eq "$(docker images -a -q | sort | tr '\n' ' ')" "$before" "engine images after a tampered import"
airlock import plain.bundle --to "$to" --trusted-key k.pub -q > /dev/null
docker image inspect localhost/docker:1.0 > /dev/null

step "an engine that is not there"
expect_fail 3 "cannot reach the Docker Engine at unix://$t/nowhere.sock" airlock import a.bundle --to "docker-engine:unix://$t/nowhere.sock" --trusted-key k.pub

# pack from archives: docker-archive (skopeo's and a real `docker save` of several images, with
# its tags), oci-archive (skopeo's), a local Docker Engine (docker-daemon:), podman's storage; each image lands in the bundle as from any source, its
# config (Docker's image ID) and layers unchanged; packs are reproducible; hostile archives write
# nothing outside the work directory; unknown transports list the known ones.
. "$(dirname "$0")/common.sh"

make_key k
skopeo copy -q "oci:$images/sample:1.0" oci-archive:one.tar:localhost/sample:1.0
skopeo copy -q "oci:$images/sample:2.0" docker-archive:two.tar:localhost/sample:2.0
config_of() { skopeo inspect --raw "$1" | jq -r .config.digest; }

step "oci-archive and docker-archive from skopeo"
airlock pack oci-archive:one.tar docker-archive:two.tar -o a.bundle --sign-key k.key --json > a.json
check_json pack a.json
airlock import a.bundle --to oci:site --trusted-key k.pub -q > /dev/null
assert_eq "$(config_of oci:site:localhost/sample:1.0)" "$(config_of "oci:$images/sample:1.0")" "config of 1.0"
assert_eq "$(config_of oci:site:localhost/sample:2.0)" "$(config_of "oci:$images/sample:2.0")" "config of 2.0"
skopeo copy -q oci:site:localhost/sample:2.0 oci:copy:x
airlock pack oci-archive:one.tar docker-archive:two.tar -o again.bundle --sign-key k.key -q > /dev/null
cmp a.bundle again.bundle || fail "two packs of the same archives differ"
test -z "$(ls "$XDG_CACHE_HOME/airlock/archives" 2> /dev/null)" || fail "unpacked archives stayed: $(ls "$XDG_CACHE_HOME/airlock/archives")"

step "a multi-image docker save: each image by its tag or @N; without one, the error lists them"
if command -v dockerd > /dev/null; then
    start_service docker docker
    docker() { /usr/bin/docker --host "unix://$DOCKER_SOCK" "$@"; }
    docker load -i two.tar > /dev/null
    skopeo copy -q "oci:$images/sample:1.0" docker-archive:one-d.tar:localhost/sample:1.0
    docker load -i one-d.tar > /dev/null
    docker save localhost/sample:1.0 localhost/sample:2.0 -o saved.tar
    expect_fail 2 "saved.tar holds 2 images; name one as docker-archive:FILE:REF \(available: @0 .*localhost/sample" \
        airlock pack docker-archive:saved.tar -o m.bundle --sign-key k.key
    # docker save writes its images in no fixed order: @N of 2.0 is read from manifest.json.
    n=$(tar -xOf saved.tar manifest.json | jq '[.[].RepoTags[0]] | index("localhost/sample:2.0")')
    airlock pack docker-archive:saved.tar:localhost/sample:1.0 "docker-archive:saved.tar:@$n" -o m.bundle --sign-key k.key -q > /dev/null
    airlock import m.bundle --to oci:saved --trusted-key k.pub -q > /dev/null
    for tag in 1.0 2.0; do
        assert_eq "$(config_of oci:saved:localhost/sample:$tag)" "$(docker image inspect localhost/sample:$tag | jq -r '.[0].Id')" "image ID of $tag"
    done
    expect_fail 1 "image 'localhost/sample:3.0' not found in saved.tar" \
        airlock pack docker-archive:saved.tar:localhost/sample:3.0 -o n.bundle --sign-key k.key

    step "docker-daemon: the engine's own save, streamed; the same image as docker save gives"
    if [ -z "$airlock_windows" ]; then
        DOCKER_HOST="unix://$DOCKER_SOCK" airlock pack docker-daemon:localhost/sample:2.0 \
            -o daemon.bundle --sign-key k.key -q > /dev/null
        airlock pack docker-archive:saved.tar:localhost/sample:2.0 -o saved2.bundle --sign-key k.key -q > /dev/null
        assert_eq "$(airlock inspect daemon.bundle --json | jq -c '[.images[].digest]')" \
            "$(airlock inspect saved2.bundle --json | jq -c '[.images[].digest]')" "docker-daemon: and docker save's image"
        DOCKER_HOST="unix://$DOCKER_SOCK" expect_fail 1 "Docker Engine at unix://.* has no image docker.io/library/nothing:latest" \
            airlock pack docker-daemon:nothing -o n.bundle --sign-key k.key
        DOCKER_HOST="unix://$t/nowhere.sock" expect_fail 3 "cannot reach the Docker Engine at unix://$t/nowhere.sock" \
            airlock pack docker-daemon:localhost/sample:2.0 -o n.bundle --sign-key k.key
    fi
else
    echo "dockerd is not installed: docker save not tried"
fi

step "podman: containers-storage through podman save, the image ID kept"
if [ -z "$airlock_windows" ] && command -v podman > /dev/null; then
    use_podman podman
    podman load -q -i two.tar > /dev/null
    airlock pack podman:localhost/sample:2.0 -o podman.bundle --sign-key k.key -q > /dev/null
    airlock import podman.bundle --to oci:from-podman --trusted-key k.pub -q > /dev/null
    assert_eq "sha256:$(podman image inspect localhost/sample:2.0 --format '{{.Id}}')" \
        "$(config_of oci:from-podman:localhost/sample:2.0)" "podman's image ID"
    airlock pack containers-storage:localhost/sample:2.0 -o cs.bundle --sign-key k.key -q > /dev/null
    expect_fail 1 "podman cannot save docker.io/library/nothing:latest" \
        airlock pack podman:nothing -o n.bundle --sign-key k.key
    podman system reset -f > /dev/null 2>&1 || true
else
    echo "podman: not tried (airlock.exe, or podman is not installed)"
fi

step "a layer under several names (symlinks as docker save writes them, hard links) is read once, by its file"
# links.tar is two.tar with two more images naming the same layers: by the <id>/layer.tar
# symlinks skopeo wrote, and by hard links h/N/layer.tar. Every read of a file ending in
# /layer.tar fails, so the pack passes only if no linked name is hashed again.
python3 - << 'PY'
import io, json, tarfile
with tarfile.open("two.tar") as src, tarfile.open("links.tar", "w") as out:
    members = src.getmembers()
    image = json.load(src.extractfile("manifest.json"))[0]
    by_target = {m.linkname.removeprefix("../"): m.name for m in members if m.issym()}
    hard = []
    for m in members:
        if m.name != "manifest.json":
            out.addfile(m, src.extractfile(m) if m.isfile() else None)
    for n, layer in enumerate(image["Layers"]):
        info = tarfile.TarInfo(f"h/{n}/layer.tar")
        info.type, info.linkname = tarfile.LNKTYPE, layer
        out.addfile(info)
        hard.append(info.name)
    images = [dict(image, Layers=[by_target[l] for l in image["Layers"]], RepoTags=["localhost/links:sym"]),
              dict(image, Layers=hard, RepoTags=["localhost/links:hard"]), image]
    data = json.dumps(images).encode()
    info = tarfile.TarInfo("manifest.json")
    info.size = len(data)
    out.addfile(info, io.BytesIO(data))
PY
if [ -n "${AIRLOCK_FAULT_LIB:-}" ] && [ -f "$AIRLOCK_FAULT_LIB" ] && binary_is_dynamic; then
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" LD_PRELOAD="$AIRLOCK_FAULT_LIB" \
        AIRLOCK_FAULT_READ=/layer.tar airlock pack docker-archive:links.tar:localhost/links:sym \
        docker-archive:links.tar:localhost/links:hard -o links.bundle --sign-key k.key -q > /dev/null
    assert_eq "$(airlock inspect links.bundle --json | jq -c '[.images[].digest] | unique | length')" 1 "images of links.tar"
else
    echo "no fault injection (airlock.exe, a static binary or no AIRLOCK_FAULT_LIB): not tried"
fi

step "hostile archives: nothing written outside, one clear error"
python3 - << 'PY'
import io, tarfile
def add(t, name, data=b"x", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data) if kind == tarfile.REGTYPE else 0
    t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
with tarfile.open("escape.tar", "w") as t:
    add(t, "../../escaped", b"evil")
with tarfile.open("link.tar", "w") as t:
    add(t, "manifest.json", b'[{"Config":"c.json","Layers":["l.tar"]}]')
    add(t, "c.json", b"{}")
    add(t, "l.tar", kind=tarfile.SYMTYPE, link="../../../../etc/passwd")
with tarfile.open("twice.tar", "w") as t:
    add(t, "manifest.json", b"[]")
    add(t, "manifest.json", b"[]")
with tarfile.open("missing.tar", "w") as t:
    add(t, "manifest.json", b'[{"Config":"c.json","Layers":["nowhere.tar"]}]')
    add(t, "c.json", b"{}")
PY
expect_fail 4 "escape.tar: entry '../../escaped' leaves the archive" airlock pack docker-archive:escape.tar -o e.bundle --sign-key k.key
test ! -e "$XDG_CACHE_HOME/escaped" && test ! -e "$XDG_CACHE_HOME/airlock/escaped" || fail "an entry escaped"
expect_fail 4 "link.tar: entry 'l.tar' links out of the archive" airlock pack docker-archive:link.tar -o e.bundle --sign-key k.key
expect_fail 4 "entry 'manifest.json' appears twice" airlock pack docker-archive:twice.tar -o e.bundle --sign-key k.key
expect_fail 4 "manifest.json names 'nowhere.tar', which is not in the archive" airlock pack docker-archive:missing.tar -o e.bundle --sign-key k.key
expect_fail 1 "no archive nothing.tar" airlock pack oci-archive:nothing.tar -o e.bundle --sign-key k.key
test ! -e e.bundle || fail "a failed pack left a bundle"

step "members in each other's way: a file where a directory is, or under a file"
python3 - << 'PY'
import io, tarfile
cases = {
    "under-file": [("a", "file"), ("a/b", "file")],
    "dir-over-file": [("a", "file"), ("a/", "dir")],
    "file-over-dir": [("a/b", "file"), ("a", "file")],
    "file-over-explicit-dir": [("a/", "dir"), ("a", "file")],
    "link-over-dir": [("a/b", "file"), ("a", "link")],
    "link-under-file": [("a", "file"), ("a/l", "link")],
}
for name, members in cases.items():
    with tarfile.open(f"{name}.tar", "w") as t:
        for member, kind in [("manifest.json", "file"), ("c.json", "file")] + members:
            data = b'[{"Config":"c.json","Layers":[]}]' if member == "manifest.json" else b"{}"
            info = tarfile.TarInfo(member)
            if kind == "file":
                info.size = len(data)
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
            else:
                info.type, info.linkname = tarfile.LNKTYPE, "c.json"
            t.addfile(info, io.BytesIO(data) if kind == "file" else None)
PY
expect_fail 4 "under-file.tar: entry 'a/b' is under 'a', a file of the archive" \
    airlock pack docker-archive:under-file.tar -o e.bundle --sign-key k.key
expect_fail 4 "dir-over-file.tar: entry 'a/?' is a directory where the archive has a file" \
    airlock pack docker-archive:dir-over-file.tar -o e.bundle --sign-key k.key
for case in file-over-dir file-over-explicit-dir link-over-dir; do
    expect_fail 4 "$case.tar: entry 'a' is a file where the archive has a directory" \
        airlock pack "docker-archive:$case.tar" -o e.bundle --sign-key k.key
done
expect_fail 4 "link-under-file.tar: entry 'a/l' is under 'a', a file of the archive" \
    airlock pack docker-archive:link-under-file.tar -o e.bundle --sign-key k.key

step "names Windows cannot create as written are refused on every platform"
# A device name (any case, with any extension) or a name ending in a dot or a space, in any
# part of a member's path: one archive per name, each a docker-archive that is fine otherwise.
python3 - << 'PY'
import io, tarfile
names = ["CON", "aux.json", "layers/Nul.tar.gz", "com1", "LPT9.txt", "com\u00b9", "lpt0", "prn .txt",
         "layer.", "layer ", "dir./l.tar", "sub /l.tar"]
for n, name in enumerate(names):
    # GNU: a name's bytes as they are, where pax would give a UTF-8 path for the locale's charset.
    with tarfile.open(f"windows-{n}.tar", "w", format=tarfile.GNU_FORMAT) as t:
        for member, data in [("manifest.json", b'[{"Config":"c.json","Layers":[]}]'), ("c.json", b"{}"), (name, b"x")]:
            info = tarfile.TarInfo(member)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
with tarfile.open("windows-dir.tar", "w") as t:
    info = tarfile.TarInfo("AUX")
    info.type = tarfile.DIRTYPE
    t.addfile(info)
with tarfile.open("windows-link.tar", "w") as t:
    info = tarfile.TarInfo("l.tar")
    info.type, info.linkname = tarfile.SYMTYPE, "nul"
    t.addfile(info)
# Names that only look like those: every one of them is fine.
with tarfile.open("windows-fine.tar", "w") as t:
    for member, data in [("manifest.json", b'[{"Config":"c.json","Layers":[]}]'), ("c.json", b"{}")] + [
            (name, b"x") for name in ["console.json", "com10", "lpt", "auxiliary.tar", "nul-x", ".hidden", "a.b/c", "co n"]]:
        info = tarfile.TarInfo(member)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
PY
for n in 0 1 2 3 4 5 6 7; do
    expect_fail 4 "windows-$n.tar: entry '.+' names a device on Windows" \
        airlock pack "docker-archive:windows-$n.tar" -o e.bundle --sign-key k.key
done
for n in 8 9 10 11; do
    expect_fail 4 "windows-$n.tar: entry '.+' has a part ending in a dot or a space" \
        airlock pack "docker-archive:windows-$n.tar" -o e.bundle --sign-key k.key
done
expect_fail 4 "windows-dir.tar: entry 'AUX/?' names a device on Windows \\(AUX\\)" \
    airlock pack docker-archive:windows-dir.tar -o e.bundle --sign-key k.key
expect_fail 4 "windows-link.tar: entry 'l.tar' links to 'nul', which names a device on Windows \\(NUL\\)" \
    airlock pack docker-archive:windows-link.tar -o e.bundle --sign-key k.key
airlock pack docker-archive:windows-fine.tar -o fine.bundle --sign-key k.key -q > /dev/null

step "a tar bomb: a member larger than the cache's free space is refused before it is written"
# A small zstd-compressed tar whose one member declares twice what the cache's file system has
# free. Its bytes stop after 1 MiB (that many could not be made here): the size in its header
# is what must stop the unpacking, before any byte of it is written.
mkdir -p "$XDG_CACHE_HOME"
free=$(df -P -B1 "$XDG_CACHE_HOME" | awk 'NR == 2 { print $4 }')
python3 - "$free" << 'PY' | zstd -q > bomb.tar.zst
import sys, tarfile
info = tarfile.TarInfo("layer.tar")
info.size = 2 * int(sys.argv[1]) + (1 << 30)
sys.stdout.buffer.write(info.tobuf(tarfile.PAX_FORMAT) + bytes(1 << 20))
PY
expect_fail 1 "bomb.tar.zst: entry 'layer.tar' is [0-9.]+ [GT]iB, more than the [0-9.]+ [A-Z]i?B free in .*archive-" \
    airlock pack docker-archive:bomb.tar.zst -o e.bundle --sign-key k.key
test -z "$(ls "$XDG_CACHE_HOME/airlock/archives" 2> /dev/null)" || fail "the refused archive left $(ls "$XDG_CACHE_HOME/airlock/archives")"

step "an unknown transport: the error lists the sources there are"
expect_fail 2 "unsupported image source 'dir:/tmp/x': the sources are .*oci:DIR\[:REF\], oci-archive:FILE\[:REF\], docker-archive:FILE\[:REF\], docker-daemon:NAME\[:TAG\] and podman:NAME\[:TAG\]" \
    airlock pack dir:/tmp/x -o e.bundle --sign-key k.key

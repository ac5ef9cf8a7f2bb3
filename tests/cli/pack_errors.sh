# Pack refuses bad sources with clear messages and leaves no partial bundle.
. "$(dirname "$0")/common.sh"

make_key k
expect_fail 1 "image 'nope' not found in .*sample \(available: (1.0, 2.0|2.0, 1.0)\)" \
    airlock pack "oci:$images/sample:nope" -o x.bundle --sign-key k.key
expect_fail 2 "holds 2 images; name one as oci:DIR:REF" airlock pack "oci:$images/sample" -o x.bundle --sign-key k.key
expect_fail 1 "is not an OCI image layout" airlock pack "oci:$t" -o x.bundle --sign-key k.key
expect_fail 2 "unsupported image source 'ftp://x'" airlock pack ftp://x -o x.bundle --sign-key k.key
expect_fail 2 "invalid --compression 'zstd:99'" airlock pack "oci:$images/sample:1.0" -o x.bundle --sign-key k.key --compression zstd:99

step "a corrupt blob in the source is caught while packing"
cp -r "$images/sample" broken
layer=$(jq -r '.layers[0].digest' "broken/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "1.0") | .digest' broken/index.json | cut -d: -f2)" | cut -d: -f2)
chmod u+w "broken/blobs/sha256/$layer"
damage_byte "broken/blobs/sha256/$layer" 100
expect_fail 4 "blob sha256:$layer in oci:.*broken:1.0 does not match its digest" \
    airlock pack "oci:$t/broken:1.0" -o x.bundle --sign-key k.key
test -z "$(ls -A | grep 'x.bundle' || true)" || fail "a failed pack left x.bundle or its temp file"

step "a layer two manifests declare with different sizes is refused before anything is written"
# A hand-made layout: one layer, whose true size manifest "a" gives and manifest "b" (another
# image, or another platform of "multi") gives plus one. Whichever comes first, pack stops.
python3 - << 'PY'
import gzip, hashlib, io, json, os, tarfile
os.makedirs("lies/blobs/sha256")
def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(f"lies/blobs/sha256/{digest}", "wb") as f:
        f.write(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}
tar = io.BytesIO()
with tarfile.open(fileobj=tar, mode="w") as t:
    info = tarfile.TarInfo("hello")
    info.size = 2
    t.addfile(info, io.BytesIO(b"hi"))
layer = dict(blob(gzip.compress(tar.getvalue(), mtime=0)), mediaType="application/vnd.oci.image.layer.v1.tar+gzip")
def image(arch, layer_size):
    config = json.dumps({"architecture": arch, "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": dict(blob(config), mediaType="application/vnd.oci.image.config.v1+json"),
                "layers": [dict(layer, size=layer_size)]}
    return dict(blob(json.dumps(manifest).encode()), mediaType=manifest["mediaType"],
                platform={"architecture": arch, "os": "linux"})
a, b = image("amd64", layer["size"]), image("arm64", layer["size"] + 1)
multi = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [a, b]}
refs = [dict(a, annotations={"org.opencontainers.image.ref.name": "a"}),
        dict(b, annotations={"org.opencontainers.image.ref.name": "b"}),
        dict(blob(json.dumps(multi).encode()), mediaType=multi["mediaType"],
             annotations={"org.opencontainers.image.ref.name": "multi"})]
with open("lies/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": refs}, f)
with open("lies/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
print(layer["digest"], layer["size"], file=open("layer.txt", "w"))
PY
read -r digest size < layer.txt
expect_fail 4 "blob $digest is $size bytes in oci:lies:a but $((size + 1)) bytes in oci:lies:b" \
    airlock pack oci:lies:a oci:lies:b -o x.bundle --sign-key k.key
expect_fail 4 "blob $digest is $((size + 1)) bytes in oci:lies:b but $size bytes in oci:lies:a" \
    airlock pack oci:lies:b oci:lies:a -o x.bundle --sign-key k.key
expect_fail 4 "oci:lies:multi: blob $digest is declared as $size bytes and as $((size + 1)) bytes by its manifests" \
    airlock pack oci:lies:multi --all-platforms -o x.bundle --sign-key k.key
test -z "$(ls -A | grep 'x.bundle' || true)" || fail "a refused pack left x.bundle or its temp file"
airlock pack oci:lies:a -o a.bundle --sign-key k.key -q > /dev/null

step "nothing a reader would refuse is written: sequences beyond 2^53, years beyond 9999"
expect_fail 2 "--sequence" airlock pack "oci:$images/sample:1.0" -o big.bundle --sign-key k.key --channel c --sequence 9007199254740993
SOURCE_DATE_EPOCH=253402300800 expect_fail 2 "past the year 9999" airlock pack "oci:$images/sample:1.0" -o big.bundle --sign-key k.key
expect_fail 2 "past the year 9999" airlock pack "oci:$images/sample:1.0" -o big.bundle --sign-key k.key --expires 3000000d
test ! -e big.bundle || fail "a refused pack wrote big.bundle"

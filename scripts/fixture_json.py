#!/usr/bin/env python3
"""Composes the JSON that no packaged tool writes, for test images only.

index LAYOUT TAG REF[=OSVERSION]...  Adds an OCI index tagged TAG over the images REF of an
    OCI layout (built by umoci); REF=OSVERSION rewrites that image's config with os.version.
    The layout's index.json then holds TAG and each REF (other tags are dropped).
foreign LAYOUT REF LAYER URL  Adds tag "foreign" to an OCI layout: image REF plus one
    non-distributable layer (application/vnd.oci.image.layer.nondistributable.v1.tar+gzip) whose
    descriptor points at URL, where a test server serves the gzipped tar LAYER. The layer blob
    is also kept in the layout, as Windows base image layouts on disk do.
docker DIRCOPY OUT  Turns a `skopeo copy --format v2s2 ... dir:DIRCOPY` copy into an OCI layout
    OUT whose descriptors keep the Docker media types: tag "1.0" the schema2 manifest and tag
    "list" a Docker manifest list over it.
"""
import hashlib
import json
import os
import shutil
import sys


def put_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", digest)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return "sha256:" + digest


def read_blob(layout, digest):
    with open(os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1]), "rb") as f:
        return f.read()


def dump(doc):
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


def make_index(layout, tag, refs):
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    by_ref = {m["annotations"]["org.opencontainers.image.ref.name"]: m for m in index["manifests"]}
    children = []
    tagged = []  # each platform image stays reachable under its own tag
    for spec in refs:
        ref, _, os_version = spec.partition("=")
        desc = dict(by_ref[ref])
        manifest = json.loads(read_blob(layout, desc["digest"]))
        config = json.loads(read_blob(layout, manifest["config"]["digest"]))
        if os_version:
            config["os.version"] = os_version
            data = dump(config)
            manifest["config"]["digest"] = put_blob(layout, data)
            manifest["config"]["size"] = len(data)
            data = dump(manifest)
            desc = {"mediaType": desc["mediaType"], "digest": put_blob(layout, data), "size": len(data)}
        platform = {"os": config["os"], "architecture": config["architecture"]}
        if os_version:
            platform["os.version"] = os_version
        children.append({"mediaType": desc["mediaType"], "digest": desc["digest"], "size": desc["size"],
                         "platform": platform})
        tagged.append({"mediaType": desc["mediaType"], "digest": desc["digest"], "size": desc["size"],
                       "annotations": {"org.opencontainers.image.ref.name": ref}})
    data = dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": children})
    entry = {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": put_blob(layout, data),
             "size": len(data), "annotations": {"org.opencontainers.image.ref.name": tag}}
    index["manifests"] = [entry] + tagged
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f)


def make_docker(copy, out):
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    for name in os.listdir(copy):
        if len(name) == 64:
            shutil.copy(os.path.join(copy, name), os.path.join(out, "blobs", "sha256", name))
    with open(os.path.join(copy, "manifest.json"), "rb") as f:
        manifest = f.read()
    mt = json.loads(manifest)["mediaType"]
    digest = put_blob(out, manifest)
    config = json.loads(read_blob(out, json.loads(manifest)["config"]["digest"]))
    listing = dump({"schemaVersion": 2,
                    "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
                    "manifests": [{"mediaType": mt, "digest": digest, "size": len(manifest),
                                   "platform": {"os": config["os"],
                                                "architecture": config["architecture"]}}]})
    list_digest = put_blob(out, listing)
    index = {"schemaVersion": 2, "manifests": [
        {"mediaType": mt, "digest": digest, "size": len(manifest),
         "annotations": {"org.opencontainers.image.ref.name": "1.0"}},
        {"mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
         "digest": list_digest, "size": len(listing),
         "annotations": {"org.opencontainers.image.ref.name": "list"}}]}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f)


def make_foreign(layout, ref, layer_path, url):
    import gzip
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    desc = next(m for m in index["manifests"]
                if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref)
    manifest = json.loads(read_blob(layout, desc["digest"]))
    config = json.loads(read_blob(layout, manifest["config"]["digest"]))
    with open(layer_path, "rb") as f:
        layer = f.read()
    layer_digest = put_blob(layout, layer)
    config["rootfs"]["diff_ids"].append("sha256:" + hashlib.sha256(gzip.decompress(layer)).hexdigest())
    data = dump(config)
    manifest["config"] = {"mediaType": manifest["config"]["mediaType"], "digest": put_blob(layout, data),
                          "size": len(data)}
    manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                               "digest": layer_digest, "size": len(layer), "urls": [url]})
    data = dump(manifest)
    index["manifests"].append({"mediaType": desc["mediaType"], "digest": put_blob(layout, data),
                               "size": len(data),
                               "annotations": {"org.opencontainers.image.ref.name": "foreign"}})
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f)


if __name__ == "__main__":
    if sys.argv[1] == "index":
        make_index(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif sys.argv[1] == "foreign":
        make_foreign(*sys.argv[2:6])
    elif sys.argv[1] == "docker":
        make_docker(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)

#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that a directory is a consistent OCI image layout, as an import must leave it even
when it fails or is killed at any point.

    check_store.py [--no-debris] [--ref NAME]... STORE_DIR

A store is either not there yet (the directory missing, or holding nothing but airlock's private
.airlock/), or being created (no oci-layout yet: at most an index.json that lists nothing and an
empty blobs/sha256/, which a new store gets before its oci-layout), or has both oci-layout and
index.json, valid JSON, with every blob reachable from
index.json (nested indexes, manifests, their configs and layers) present under blobs/sha256 with
the size and SHA-256 its descriptor names. No other file may exist outside .airlock/: a stray
temporary file is a leak. With --no-debris, .airlock/ may hold only the lock file,
channels.json and imports.json (the import log), i.e. nothing an earlier, interrupted import left behind. Each --ref NAME must be
tagged in index.json (org.opencontainers.image.ref.name), which makes it a complete image.

Prints one line per problem and exits 1 when there is any."""

import hashlib
import json
import os
import re
import sys

INDEX_TYPES = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
}
MANIFEST_TYPES = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
}
HEX = re.compile(r"^[0-9a-f]{64}$")
STATE_FILES = {"lock", "channels.json", "imports.json", "imports.json.damaged"}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


REF_NAME = "org.opencontainers.image.ref.name"


def check(root, no_debris, refs):
    problems = []
    if not os.path.exists(root):
        return [f"{ref} is not in the store (there is no store)" for ref in refs]
    entries = set(os.listdir(root))
    has_layout = "oci-layout" in entries
    has_index = "index.json" in entries

    # Everything outside .airlock/ must be a layout file or a blob named by its digest.
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        if rel == ".":
            dirnames[:] = [d for d in dirnames if d != ".airlock"]
            allowed_dirs, allowed_files = {"blobs"}, {"oci-layout", "index.json"}
        elif rel == "blobs":
            allowed_dirs, allowed_files = {"sha256"}, set()
        elif rel == os.path.join("blobs", "sha256"):
            allowed_dirs, allowed_files = set(), None  # any 64-hex name
        else:
            allowed_dirs, allowed_files = set(), set()
        for d in dirnames:
            if d not in allowed_dirs or os.path.islink(os.path.join(dirpath, d)):
                problems.append(f"stray directory: {os.path.join(rel, d)}")
        for name in filenames:
            path = os.path.join(dirpath, name)
            shown = os.path.normpath(os.path.join(rel, name))
            ok = HEX.match(name) if allowed_files is None else name in allowed_files
            if not ok:
                problems.append(f"stray file: {shown}")
            elif os.path.islink(path) or not os.path.isfile(path):
                problems.append(f"not a regular file: {shown}")
            elif allowed_files is None and sha256_file(path) != name:
                problems.append(f"blob content does not match its name: {shown}")

    if not has_layout:
        problems += [f"{ref} is not in the store (there is no oci-layout)" for ref in refs]
        others = sorted(entries - {".airlock", "index.json", "blobs"})
        if others:
            problems.append(f"no oci-layout, yet the store holds: {' '.join(others)}")
        blobs = os.path.join(root, "blobs", "sha256")
        if os.path.isdir(blobs) and os.listdir(blobs):
            problems.append("no oci-layout, yet the store holds blobs")
        if has_index:
            try:
                with open(os.path.join(root, "index.json"), "rb") as f:
                    listed = json.load(f).get("manifests")
                if listed != []:
                    problems.append("index.json lists images, but there is no oci-layout")
            except (OSError, ValueError, AttributeError) as e:
                problems.append(f"index.json without oci-layout is not an empty index: {e}")
    elif not has_index:
        problems.append("oci-layout without index.json")
    else:
        docs = {}
        for name in ("oci-layout", "index.json"):
            try:
                with open(os.path.join(root, name), "rb") as f:
                    docs[name] = json.load(f)
            except (OSError, ValueError) as e:
                problems.append(f"{name} is not valid JSON: {e}")
        index = docs.get("index.json")
        if isinstance(index, dict) and isinstance(index.get("manifests", []), list):
            seen = set()
            for i, desc in enumerate(index.get("manifests", [])):
                walk(root, desc, f"index.json manifests[{i}]", problems, seen)
            tagged = {(d.get("annotations") or {}).get(REF_NAME) for d in index.get("manifests", [])
                      if isinstance(d, dict)}
            problems += [f"{ref} is not in index.json" for ref in refs if ref not in tagged]
        elif index is not None:
            problems.append("index.json is not an image index")

    if no_debris:
        state = os.path.join(root, ".airlock")
        if os.path.isdir(state):
            for name in sorted(os.listdir(state)):
                if name not in STATE_FILES:
                    problems.append(f"debris in .airlock: {name}")
    return problems


def load_blob(root, desc, where, problems):
    """Checks the blob of one descriptor; returns its bytes (or None when it is missing/wrong)."""
    digest = desc.get("digest", "")
    if not isinstance(digest, str) or not digest.startswith("sha256:") or not HEX.match(digest[7:]):
        problems.append(f"{where}: unusable digest {digest!r}")
        return None
    path = os.path.join(root, "blobs", "sha256", digest[7:])
    if not os.path.isfile(path):
        problems.append(f"{where}: missing blob {digest}")
        return None
    with open(path, "rb") as f:
        data = f.read()
    if len(data) != desc.get("size"):
        problems.append(f"{where}: blob {digest} has {len(data)} bytes, descriptor says {desc.get('size')}")
        return None
    if hashlib.sha256(data).hexdigest() != digest[7:]:
        problems.append(f"{where}: blob {digest} does not hash to its digest")
        return None
    return data


def walk(root, desc, where, problems, seen):
    if not isinstance(desc, dict):
        problems.append(f"{where}: not a descriptor")
        return
    key = desc.get("digest")
    if key in seen:
        return
    seen.add(key)
    data = load_blob(root, desc, where, problems)
    media_type = desc.get("mediaType")
    if data is None or (media_type not in INDEX_TYPES and media_type not in MANIFEST_TYPES):
        return
    try:
        doc = json.loads(data)
    except ValueError as e:
        problems.append(f"{where}: {key} is not valid JSON: {e}")
        return
    if not isinstance(doc, dict):
        problems.append(f"{where}: {key} is not a JSON object")
        return
    if media_type in INDEX_TYPES:
        for i, child in enumerate(doc.get("manifests") or []):
            walk(root, child, f"{where} > manifests[{i}]", problems, seen)
    else:
        walk(root, doc.get("config"), f"{where} > config", problems, seen)
        for i, layer in enumerate(doc.get("layers") or []):
            walk(root, layer, f"{where} > layers[{i}]", problems, seen)


def main(argv):
    no_debris, refs, args = False, [], []
    while argv:
        arg = argv.pop(0)
        if arg == "--no-debris":
            no_debris = True
        elif arg == "--ref" and argv:
            refs.append(argv.pop(0))
        else:
            args.append(arg)
    if len(args) != 1:
        print("usage: check_store.py [--no-debris] [--ref NAME]... STORE_DIR", file=sys.stderr)
        return 2
    problems = check(args[0], no_debris, refs)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Makes airlock bundles whose bundle.json says what a test needs, for tests only.

forge.py IN OUT KEY OPERATION [ARG]
  IN is an uncompressed bundle; OUT is written uncompressed. bundle.json is replaced and, when
  KEY is an Ed25519 private key (PEM), signed with it as `airlock pack --sign-key KEY` would
  (so the document is trusted and only airlock's parser stands between it and the store);
  with KEY "-" the original signatures are kept (so the signature check must refuse it).

  raw FILE             bundle.json := the bytes of FILE
  image-field F JSON   images[0][F] := JSON, re-serialised canonically
  field F JSON         the document's F := JSON
"""
import base64
import io
import json
import sys
import tarfile

from cryptography.hazmat.primitives import serialization


def canonical(doc):
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def main():
    src, out, key_file, op = sys.argv[1:5]
    args = sys.argv[5:]
    with tarfile.open(src, "r:") as tar:
        entries = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
    names = [m.name for m, _ in entries]
    manifest = entries[names.index("bundle.json")][1]
    signatures = json.loads(entries[names.index("signatures.json")][1])
    if op == "raw":
        with open(args[0], "rb") as f:
            manifest = f.read()
    elif op == "image-field":
        doc = json.loads(manifest)
        doc["images"][0][args[0]] = json.loads(args[1])
        manifest = canonical(doc)
    elif op == "field":
        doc = json.loads(manifest)
        doc[args[0]] = json.loads(args[1])
        manifest = canonical(doc)
    else:
        sys.exit(f"unknown operation {op}")
    if key_file != "-":
        with open(key_file, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        signature = base64.b64encode(key.sign(manifest)).decode()
        signatures = {"signatures": [dict(signatures["signatures"][0], signature=signature)]}
    replaced = {"bundle.json": manifest, "signatures.json": canonical(signatures)}
    with tarfile.open(out, "w:", format=tarfile.PAX_FORMAT) as tar:
        for member, data in entries:
            if member.name in replaced:
                data = replaced[member.name]
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


if __name__ == "__main__":
    main()

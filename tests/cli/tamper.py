#!/usr/bin/env python3
"""Makes hostile variants of an uncompressed airlock bundle, for tests only.

tamper.py IN OUT OPERATION [ARG]
  flip-layer        flip one byte in the middle of the largest blob
  drop-blob         remove the largest blob
  shrink-blob       rewrite the largest blob one byte shorter (its tar size no longer matches)
  duplicate-blob    repeat the first blob entry
  unlisted-blob     add a blob that bundle.json does not list
  edit-manifest     change a tag in bundle.json, keeping the signatures
  add-entry KIND    add an entry: dotdot, absolute, symlink, hardlink, chardev, directory
"""
import hashlib
import io
import sys
import tarfile


def load(path):
    with tarfile.open(path, "r:") as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]


def save(path, entries):
    with tarfile.open(path, "w:", format=tarfile.PAX_FORMAT) as tar:
        for member, data in entries:
            if data is not None:
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
            else:
                tar.addfile(member)


def largest_blob(entries):
    blobs = [i for i, (m, _) in enumerate(entries) if m.name.startswith("blobs/")]
    return max(blobs, key=lambda i: entries[i][0].size)


def extra(kind):
    member = tarfile.TarInfo()
    member.mtime = 0
    data = None
    if kind == "dotdot":
        member.name, data = "blobs/../../escape", b"x"
    elif kind == "absolute":
        member.name, data = "/tmp/airlock-absolute-entry", b"x"
    elif kind == "symlink":
        member.name, member.type, member.linkname = "blobs/sha256/link", tarfile.SYMTYPE, "/etc/passwd"
    elif kind == "hardlink":
        member.name, member.type, member.linkname = "blobs/sha256/hard", tarfile.LNKTYPE, "oci-layout"
    elif kind == "chardev":
        member.name, member.type, member.devmajor, member.devminor = "blobs/sha256/dev", tarfile.CHRTYPE, 1, 3
    elif kind == "directory":
        member.name, member.type = "blobs/sha256/dir", tarfile.DIRTYPE
    else:
        sys.exit("unknown entry kind " + kind)
    return member, data


def main():
    src, dst, op = sys.argv[1:4]
    entries = load(src)
    if op == "flip-layer":
        i = largest_blob(entries)
        data = bytearray(entries[i][1])
        data[len(data) // 2] ^= 0x01
        entries[i] = (entries[i][0], bytes(data))
    elif op == "drop-blob":
        del entries[largest_blob(entries)]
    elif op == "shrink-blob":
        i = largest_blob(entries)
        entries[i] = (entries[i][0], entries[i][1][:-1])
    elif op == "duplicate-blob":
        first = next(e for e in entries if e[0].name.startswith("blobs/"))
        entries.append(first)
    elif op == "unlisted-blob":
        data = b"not listed"
        member = tarfile.TarInfo("blobs/sha256/" + hashlib.sha256(data).hexdigest())
        entries.append((member, data))
    elif op == "edit-manifest":
        member, data = entries[0]
        assert member.name == "bundle.json"
        entries[0] = (member, data.replace(b'"tags":["', b'"tags":["evil","', 1))
    elif op == "add-entry":
        entries.insert(5, extra(sys.argv[4]))
    else:
        sys.exit(__doc__)
    save(dst, entries)


if __name__ == "__main__":
    main()

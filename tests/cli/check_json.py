"""Validates a command's --json output against its schema in docs/schema/.

usage: check_json.py SCHEMA_DIR NAME FILE   (NAME: pack, verify, ...; FILE holds the output)
The command schemas refer to common.schema.json; its definitions are merged in here so that no
network or resolver is involved. Exits 1 naming every violation.
"""
import json
import sys

import jsonschema


def local(node):
    """The schema with refs into common.schema.json made local."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and value.startswith("common.schema.json#"):
                value = value[len("common.schema.json"):]
            out[key] = local(value)
        return out
    if isinstance(node, list):
        return [local(item) for item in node]
    return node


def main():
    schema_dir, name, path = sys.argv[1:4]
    with open(f"{schema_dir}/common.schema.json", encoding="utf-8") as f:
        common = json.load(f)
    with open(f"{schema_dir}/{name}.schema.json", encoding="utf-8") as f:
        schema = local(json.load(f))
    schema["$defs"] = common["$defs"]
    schema.pop("$id", None)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        print(f"{path}: not one JSON document ({e}): {text[:300]!r}")
        return 1
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for error in errors:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        print(f"{path}: {name} schema: at {where}: {error.message[:300]}")
        for sub in (error.context or [])[:6]:
            at = "/".join(str(p) for p in sub.absolute_path) or "(top)"
            print(f"    ({at}: {sub.message[:200]})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

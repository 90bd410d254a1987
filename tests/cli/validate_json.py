"""Validates a JSON document against one of the schemas in schemas/.

Usage: validate_json.py SCHEMA DOCUMENT
Relative $refs (common.schema.json#...) resolve against the schema's folder.
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    schema_path = pathlib.Path(sys.argv[1]).resolve()
    document = json.loads(pathlib.Path(sys.argv[2]).read_text())
    store = {}
    for p in schema_path.parent.glob("*.schema.json"):
        s = json.loads(p.read_text())
        store[s["$id"]] = s
        store[p.name] = s
    schema = json.loads(schema_path.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    errors = sorted(cls(schema, resolver=resolver).iter_errors(document), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

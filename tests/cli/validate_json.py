"""Validates a JSON document against one of the schemas in schemas/.

Usage: validate_json.py SCHEMA DOCUMENT
       validate_json.py --lines SCHEMA FILE   every line of FILE is a document
Relative $refs (common.schema.json#...) resolve against the schema's folder.
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    args = sys.argv[1:]
    lines = args[0] == "--lines"
    if lines:
        args = args[1:]
    schema_path = pathlib.Path(args[0]).resolve()
    text = pathlib.Path(args[1]).read_text()
    documents = [json.loads(line) for line in text.splitlines()] if lines else [json.loads(text)]
    store = {}
    for p in schema_path.parent.glob("*.schema.json"):
        s = json.loads(p.read_text())
        store[s["$id"]] = s
        store[p.name] = s
    schema = json.loads(schema_path.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    failed = 0
    for number, document in enumerate(documents, 1):
        errors = sorted(cls(schema, resolver=resolver).iter_errors(document), key=lambda e: list(e.path))
        for e in errors[:10]:
            where = f"line {number}: " if lines else ""
            print(f"{where}{'/'.join(map(str, e.path)) or '(root)'}: {e.message}", file=sys.stderr)
        failed += bool(errors)
        if failed >= 10:
            break
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

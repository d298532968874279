"""Validates JSON files against a JSON Schema with the `jsonschema` package.

usage: python3 validate.py SCHEMA FILE...

Prints one line per file: its name, a tab, and `valid` or `invalid` (with
the first error after another tab). Exits 3 when `jsonschema` is missing.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("jsonschema is not installed", file=sys.stderr)
    sys.exit(3)


def main():
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        error = next(iter(validator.iter_errors(doc)), None)
        name = os.path.basename(path)
        if error is None:
            print(f"{name}\tvalid")
        else:
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{name}\tinvalid\t{where}: {error.message[:160]}")


main()

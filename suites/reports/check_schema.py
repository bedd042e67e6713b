#!/usr/bin/env python3
"""reports/schema/report-v1.schema.json, checked with a real JSON Schema (2020-12) validator:
the schema itself is valid, the fixtures pass, and every broken document of
testdata/invalid-cases.json that a schema can judge is refused, at the pointer the C++ reader
names. Skips (exit 77) when the python3 found has no jsonschema module."""

import argparse
import copy
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3 has no jsonschema module (apt-get install python3-jsonschema); schema not checked")
    sys.exit(77)


def pointer_parts(pointer):
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def locate(doc, parts):
    for p in parts:
        doc = doc[int(p)] if isinstance(doc, list) else doc[p]
    return doc


def mutate(doc, case):
    doc = copy.deepcopy(doc)
    parts = pointer_parts(case.get("set") or case["remove"])
    parent = locate(doc, parts[:-1])
    key = int(parts[-1]) if isinstance(parent, list) else parts[-1]
    if "set" in case:
        parent[key] = case["value"]
    else:
        del parent[key]
    return doc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema", required=True)
    ap.add_argument("--testdata", required=True)
    args = ap.parse_args()
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.Draft202012Validator
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    load = lambda name: json.load(open(os.path.join(args.testdata, name), encoding="utf-8"))

    passed = failed = 0
    for name in ("report-fixture.json", "matrix-b.json", "matrix-c.json"):
        errors = list(validator.iter_errors(load(name)))
        if errors:
            failed += 1
            print(f"FAIL {name}: {errors[0].json_path}: {errors[0].message}")
        else:
            passed += 1
    fixture = load("report-fixture.json")
    for case in load("invalid-cases.json")["cases"]:
        if case.get("schema") is False:
            continue
        errors = list(validator.iter_errors(mutate(fixture, case)))
        # The error may sit at the pointer or, for a removed member, at its parent object.
        want = pointer_parts(case["error"])
        at = [list(map(str, e.absolute_path)) for e in errors]
        if any(a == want or (case.get("remove") and a == want[:-1]) for a in at):
            passed += 1
        else:
            failed += 1
            print(f"FAIL {case['name']}: not refused at {case['error']} (errors at {at})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

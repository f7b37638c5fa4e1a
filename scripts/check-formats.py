#!/usr/bin/env python3
"""Checks files against standard, independent parsers (not our own code):

  check-formats.py --report-json FILE [--schema schemas/report.schema.json]
      validates a report.json with the `jsonschema` package (JSON Schema draft 2020-12);
  check-formats.py --metrics FILE
      parses a metrics file with `prometheus_client`'s text-format parser and checks every
      family is a gauge with at least one sample.

Exit 0 and one line per file when all hold; exit 1 naming each problem otherwise.
scripts/test.sh installs the two packages (pip) when missing.
"""
import argparse
import json
import sys


def check_report(path, schema_path):
    from jsonschema import Draft202012Validator
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.absolute_path))
    for e in errors:
        print(f"{path}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}", file=sys.stderr)
    return not errors


def check_metrics(path):
    from prometheus_client.parser import text_string_to_metric_families
    with open(path, encoding="utf-8") as f:
        text = f.read()
    ok = True
    families = list(text_string_to_metric_families(text))
    if not families:
        print(f"{path}: no metric family", file=sys.stderr)
        return False
    for family in families:
        if family.type != "gauge":
            print(f"{path}: {family.name} is a {family.type}, not a gauge", file=sys.stderr)
            ok = False
        if not family.samples:
            print(f"{path}: {family.name} has no sample", file=sys.stderr)
            ok = False
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--report-json", action="append", default=[])
    parser.add_argument("--schema", default="schemas/report.schema.json")
    parser.add_argument("--metrics", action="append", default=[])
    args = parser.parse_args()
    ok = True
    for path in args.report_json:
        good = check_report(path, args.schema)
        ok &= good
        if good:
            print(f"check-formats: {path} is valid against {args.schema} (jsonschema)")
    for path in args.metrics:
        good = check_metrics(path)
        ok &= good
        if good:
            print(f"check-formats: {path} parses as Prometheus text format (prometheus_client)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Compares a run's output folder with expected reports (scripts/package-test.sh).

    compare-reports.py EXPECTED_DIR ACTUAL_DIR ACTUAL_BASE_URL EXPECTED_BASE_URL

The two runs differ only in the API address they name: report.json's run.api_base_url and
report.html's header. So: the same file names; report.json and report.html equal byte for byte
once the actual address (which must appear exactly once in each) is replaced by the expected
one, and report.json's other fields equal as JSON too; every other file except manifest.json
equal byte for byte; manifest.json equal as JSON except the sha256/bytes of those two files,
which must be the digests and sizes of the actual files.

Prints what it compared (one line) and exits 0, or prints the first difference and exits 1.
"""
import hashlib
import json
import os
import sys

NAMING_THE_ADDRESS = ("report.json", "report.html")


def fail(message):
    print(message)
    sys.exit(1)


def main():
    expected_dir, actual_dir, actual_url, expected_url = sys.argv[1:5]
    expected_names = sorted(os.listdir(expected_dir))
    actual_names = sorted(os.listdir(actual_dir))
    if expected_names != actual_names:
        fail(f"files {actual_names}, expected {expected_names}")

    def read(folder, name):
        with open(os.path.join(folder, name), "rb") as f:
            return f.read()

    for name in expected_names:
        if name == "manifest.json":
            continue
        expected, actual = read(expected_dir, name), read(actual_dir, name)
        if name in NAMING_THE_ADDRESS:
            count = actual.count(actual_url.encode())
            if count != 1:
                fail(f"{name} names {actual_url} {count} times, expected once")
            actual = actual.replace(actual_url.encode(), expected_url.encode())
        if actual != expected:
            at = next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b), min(len(actual), len(expected)))
            fail(f"{name} differs at byte {at}: {actual[max(0, at - 40):at + 40]!r} "
                 f"expected {expected[max(0, at - 40):at + 40]!r}")

    # report.json as JSON: the run's address is the actual one, everything else the expected.
    expected_report = json.loads(read(expected_dir, "report.json"))
    actual_report = json.loads(read(actual_dir, "report.json"))
    if actual_report["run"]["api_base_url"] != actual_url:
        fail(f"report.json run.api_base_url is {actual_report['run']['api_base_url']!r}, expected {actual_url!r}")
    actual_report["run"]["api_base_url"] = expected_url
    if actual_report != expected_report:
        fail("report.json differs as JSON beyond run.api_base_url")

    expected_manifest = json.loads(read(expected_dir, "manifest.json"))
    actual_manifest = json.loads(read(actual_dir, "manifest.json"))
    for entry in actual_manifest.get("files", []):
        data = read(actual_dir, entry["name"])
        if entry.get("sha256") != hashlib.sha256(data).hexdigest() or entry.get("bytes") != len(data):
            fail(f"manifest.json's digest or size of {entry['name']} is not the file's")
    for manifest in (expected_manifest, actual_manifest):
        for entry in manifest.get("files", []):
            if entry["name"] in NAMING_THE_ADDRESS:
                entry.pop("sha256", None)
                entry.pop("bytes", None)
    if actual_manifest != expected_manifest:
        fail("manifest.json differs beyond the digests and sizes of report.json and report.html")

    print(f"{len(expected_names)} files; only the API address differs")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fails when an import breaks the module layering of docs/architecture.md.

Reads the package graph from `swift package dump-package` and every `import` in Sources/,
Tests/ and Fuzz/, and checks:
  1. a module imports only what Package.swift declares it depends on (plus the system's modules),
     so the graph in Package.swift is the graph the code really has;
  2. only APTransport imports CCurl (libcurl stays behind one module);
  3. the engine and the renderers (APModels, Reconciliation, Reports) import nothing that
     reaches the network or the disk, and their code calls no file or network API;
  4. the shipped `ap-reconcile` links no sandbox, demo or server module (Hummingbird, NIO,
     ServiceLifecycle), directly or through another module;
  5. docs/architecture.md names every module.
Exit 0 and one summary line when all hold; exit 1 listing each violation otherwise.
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SYSTEM = {"Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Musl", "Darwin", "Synchronization", "XCTest", "Testing", "os"}
PURE = {"APModels", "BankStatements", "Reconciliation", "Reports"}
# What the pure modules may import, each: the other pure modules, hashing, templates, and
# Foundation for text and JSON (JSONSerialization decodes the API's records); the scan of
# their code below keeps Foundation's file and network APIs out.
PURE_ALLOWED = {"APModels": {"Foundation"}, "BankStatements": {"APModels", "Foundation"},
                "Reconciliation": {"APModels", "BankStatements", "Foundation"},
                "Reports": {"APModels", "BankStatements", "Reconciliation", "Crypto", "Mustache"}}
# Calls that touch the disk or the network; none may appear in a pure module.
EFFECT_WORDS = re.compile(r"\b(FileManager|FileHandle|URLSession|fopen|fwrite|contentsOfFile|Data\(contentsOf|curl_\w+|socket\(|Process\(\))")
SHIPPED = "ap-reconcile"
NOT_SHIPPED_TARGETS = {"APSandbox", "ReconcileDemo", "ap-sandbox", "ap-reconcile-demo", "TestCertificates",
                       "ReportSchemaCheck", "CSVReading"}
NOT_SHIPPED_PACKAGES = {"hummingbird", "swift-nio", "swift-nio-extras", "swift-nio-ssl", "swift-service-lifecycle",
                        "swift-http-types", "Yams"}


def package():
    out = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def target_dependencies(target):
    names, packages = set(), set()
    for dep in target["dependencies"]:
        if "byName" in dep:
            names.add(dep["byName"][0])
        elif "target" in dep:
            names.add(dep["target"][0])
        elif "product" in dep:
            names.add(dep["product"][0])
            packages.add(dep["product"][1])
    return names, packages


def source_folder(target):
    if target.get("path"):
        return ROOT / target["path"]
    return ROOT / ("Tests" if target["type"] == "test" else "Sources") / target["name"]


def imports(folder):
    found = {}
    for path in sorted(folder.rglob("*.swift")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.match(r"\s*(?:@testable\s+|@_exported\s+|public\s+|internal\s+|private\s+)*import\s+(?:(?:struct|enum|class|func|protocol|typealias|var|let)\s+)?(\w+)", line)
            if match:
                found.setdefault(match.group(1), []).append(f"{path.relative_to(ROOT)}:{number}")
    return found


def main():
    pkg = package()
    targets = {t["name"]: t for t in pkg["targets"]}
    deps = {name: target_dependencies(t) for name, t in targets.items()}
    violations = []
    checks = 0

    for name, target in targets.items():
        if target["type"] == "system":
            continue
        declared, _ = deps[name]
        for module, places in imports(source_folder(target)).items():
            checks += 1
            if module in SYSTEM or module in declared or module == name:
                continue
            violations.append(f"{places[0]}: {name} imports {module}, which Package.swift does not list among its dependencies")
            if module == "CCurl":
                pass
        for module, places in imports(source_folder(target)).items():
            checks += 1
            if module in ("CCurl", "CProcessControl") and name != "APTransport":
                violations.append(f"{places[0]}: only APTransport may import {module} ({name} does)")

    for name in sorted(PURE):
        found = imports(source_folder(targets[name]))
        for module, places in found.items():
            checks += 1
            if module not in PURE_ALLOWED[name]:
                violations.append(f"{places[0]}: {name} must not import {module} (the engine and the renderers touch no network or disk)")
        for path in sorted(source_folder(targets[name]).rglob("*.swift")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                checks += 1
                code = line.split("//", 1)[0]
                if EFFECT_WORDS.search(code):
                    violations.append(f"{path.relative_to(ROOT)}:{number}: {name} calls a file or network API: {line.strip()}")

    # Everything the shipped executable links, through every module it depends on.
    seen, stack, packages = set(), [SHIPPED], set()
    while stack:
        current = stack.pop()
        if current in seen or current not in targets:
            continue
        seen.add(current)
        names, pkgs = deps[current]
        packages |= pkgs
        stack.extend(names)
    checks += 1
    for bad in sorted(seen & NOT_SHIPPED_TARGETS):
        violations.append(f"{SHIPPED} links {bad}, which is not shipped (sandbox, demo or test support)")
    for bad in sorted(packages & NOT_SHIPPED_PACKAGES):
        violations.append(f"{SHIPPED} links a product of {bad}: the shipped job carries no server")

    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, target in targets.items():
        checks += 1
        if target["type"] in ("regular", "executable", "system") and not target.get("path", "").startswith("Fuzz/") \
                and f"`{name}`" not in architecture:
            violations.append(f"docs/architecture.md does not name the module {name}")

    if violations:
        for v in violations:
            print("check-layering: " + v, file=sys.stderr)
        print(f"check-layering: {len(violations)} violation(s)", file=sys.stderr)
        return 1
    print(f"check-layering: {checks} checks, 0 violations; {SHIPPED} links {len(seen)} modules of this package: "
          + ", ".join(sorted(seen)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

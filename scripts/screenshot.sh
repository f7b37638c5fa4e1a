#!/usr/bin/env bash
# Reproduces docs/images/report.png: the demo's report.html (samples/reports/report.html, which
# `ap-reconcile-demo` writes byte for byte) in headless Chromium. A documentation tool only:
# neither the build, the tests nor the demo need Chromium.
#   scripts/screenshot.sh [PAGE.html [OUT.png]]
# Needs the Debian package `chromium` (apt-get install chromium); runs as root with --no-sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
page="${1:-samples/reports/report.html}"
out="${2:-docs/images/report.png}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "screenshot: needs Chromium (Debian: apt-get install chromium)" >&2
  exit 1
fi
[ -f "$page" ] || { echo "screenshot: no $page (run: .build/debug/ap-reconcile-demo --out samples/reports)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
sandbox=()
[ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox)
# A fresh profile so no extension or setting of a real profile changes the picture.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1280,1900 --force-device-scale-factor=1 \
  --screenshot="$(pwd)/$out" "file://$(realpath "$page")" 2>/dev/null
echo "wrote $out from $page"

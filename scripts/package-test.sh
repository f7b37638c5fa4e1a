#!/usr/bin/env bash
# Proves the release package runs on a Debian machine that has only the package's runtime
# packages (scripts/package.sh --print-runtime-packages) and no Swift toolchain:
#
#  1. scripts/package.sh builds the tarball; its listing holds every file the README installs.
#  2. `ldd` of the binary names no Swift runtime, Foundation, ICU or libdispatch library.
#  3. A minimal Debian bookworm root (debootstrap --variant=minbase) with only the runtime
#     packages added by apt-get inside it; cached in .build/pkgroot, so a rerun is fast. The
#     toolchain (/opt/swift) is outside it, and the root holds no Swift library.
#  4. Inside that root (chroot, empty environment): the tarball unpacked into /usr/local as the
#     README says; --version (= VERSION), --help, run --help, the man page and completions.
#  5. A real run inside the root against ap-sandbox (built on the host, serving samples/api on
#     127.0.0.1; the chroot shares the host's network): the demo's window and clock, so the
#     reports equal samples/reports/ byte for byte, except the API address they name (the
#     demo names http://ap-sandbox.invalid, this run the sandbox's real address) and, through
#     it, the digests of report.json and report.html in manifest.json.
#
# Needs root (debootstrap, chroot, mount) and network access to deb.debian.org on the first
# run. Prints one line per check and `package-test: N passed, M failed` last; exit 1 on a failure.
# Environment: AP_PACKAGE_TEST_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#              AP_PACKAGE_TEST_SANDBOX  an ap-sandbox binary already built from this tree
#                                       (default: `swift build --product ap-sandbox` builds one)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh

[ "$(id -u)" -eq 0 ] || { echo "package-test: needs root (debootstrap, chroot)" >&2; exit 2; }

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "package-test: ok   $*"; }
fail() { failed=$((failed + 1)); echo "package-test: FAIL $*"; }
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
step_start=$SECONDS
step() { echo "package-test: ($(( SECONDS - step_start )) s) $*"; step_start=$SECONDS; }

# Tools this script uses beyond bootstrap's.
need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "package-test: installing ${need[*]} with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

read -r -a runtime_packages <<< "$(scripts/package.sh --print-runtime-packages)"
version=$(tr -d '[:space:]' < VERSION)

# 1. The package.
tarball=$(scripts/package.sh | tail -n 1)
step "scripts/package.sh wrote $tarball"
name=$(basename "$tarball" .tar.gz)
listing=$(tar -tzf "$tarball")
for path in bin/ap-reconcile share/man/man1/ap-reconcile.1 share/bash-completion/completions/ap-reconcile \
            share/zsh/site-functions/_ap-reconcile share/fish/vendor_completions.d/ap-reconcile.fish \
            share/doc/ap-reconcile/README.md share/doc/ap-reconcile/LICENSE share/doc/ap-reconcile/CHANGELOG.md \
            share/doc/ap-reconcile/jobs/nightly.json share/doc/ap-reconcile/jobs/systemd/ap-reconcile.service \
            lib/systemd/system/ap-reconcile.service lib/systemd/system/ap-reconcile.timer lib/sysusers.d/ap-reconcile.conf; do
  check "the tarball holds $name/$path" grep -qxF "$name/$path" <<< "$listing"
done
check "every path in the tarball is under $name/" bash -c '! grep -v "^$1/" <<< "$2"' _ "$name" "$listing"

# 2. What the binary needs from the system.
binary=".build/package/$name/bin/ap-reconcile"
ldd_output=$(ldd "$binary")
echo "package-test: the binary needs $(awk '{ print $1 }' <<< "$ldd_output" | tr '\n' ' ')"
check "ldd names no Swift runtime, Foundation, ICU or libdispatch library" \
  bash -c '! grep -Eq "libswift|libFoundation|lib_FoundationICU|libicu|libdispatch|libBlocksRuntime" <<< "$1"' _ "$ldd_output"
check "ldd finds every library" bash -c '! grep -q "not found" <<< "$1"' _ "$ldd_output"

# 3. The minimal Debian root, built once per runtime package list.
mirror="${AP_PACKAGE_TEST_MIRROR:-http://deb.debian.org/debian}"
root=".build/pkgroot/bookworm-$(IFS=-; echo "${runtime_packages[*]}")"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "$@"; }
export root; export -f in_root
if [ ! -x "$root/usr/bin/env" ]; then
  rm -rf "$root.partial"
  mkdir -p .build/pkgroot
  debootstrap --variant=minbase bookworm "$root.partial" "$mirror" > .build/pkgroot/debootstrap.log 2>&1 || {
    tail -n 20 .build/pkgroot/debootstrap.log >&2; echo "package-test: debootstrap failed (log above)" >&2; exit 1; }
  chroot "$root.partial" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean' \
    _ "${runtime_packages[@]}" > .build/pkgroot/apt.log 2>&1 || {
    tail -n 20 .build/pkgroot/apt.log >&2; echo "package-test: apt-get in the root failed (log above)" >&2; exit 1; }
  mv "$root.partial" "$root"
  step "built the Debian root $root (debootstrap minbase + ${runtime_packages[*]})"
else
  step "reusing the Debian root $root"
fi
check "the root has no Swift toolchain (/opt/swift)" test ! -e "$root/opt/swift"
check "the root holds no Swift, Foundation or ICU library" \
  bash -c '[ -z "$(find "$1" -xdev \( -name "libswift*" -o -name "libFoundation*" -o -name "lib_FoundationICU*" -o -name "libdispatch*" \) -print -quit)" ]' _ "$root"
check "the root has ${runtime_packages[*]} installed" \
  bash -c '[ "$(in_root dpkg-query -W -f="\${Status}\n" "$@" | grep -c "^install ok installed$")" -eq $# ]' _ "${runtime_packages[@]}"

# A real Debian machine has /proc; the mount goes away with this script.
sandbox_pid=""
cleanup() {
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  mountpoint -q "$root/proc" && umount "$root/proc"
  return 0
}
trap cleanup EXIT
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc" || echo "package-test: note: cannot mount /proc in the root; running without it"

# 4. Install as the README says, then the commands that need no API.
rm -rf "$root/usr/local" "$root/tmp/package-test"
mkdir -p "$root/usr/local" "$root/tmp/package-test"
cp "$tarball" "$root/tmp/package-test/"
check "the tarball unpacks into /usr/local" \
  in_root tar -xzf "/tmp/package-test/$name.tar.gz" -C /usr/local --strip-components=1 --no-same-owner
check "--version prints $version" bash -c '[ "$(in_root ap-reconcile --version | cut -d " " -f 1)" = "$1" ]' _ "$version"
check "--help lists the run command" bash -c 'in_root ap-reconcile --help | grep -Eq "^ +run "'
check "run --help lists --base-url" bash -c 'in_root ap-reconcile run --help | grep -q -- "--base-url"'
check "the man page is an mdoc page of section 1 naming run --base-url" \
  bash -c 'grep -q "^\.Dt AP-RECONCILE 1" "$1" && grep -q "base-url" "$1"' _ "$root/usr/local/share/man/man1/ap-reconcile.1"
check "the bash completion parses (bash -n)" in_root bash -n /usr/local/share/bash-completion/completions/ap-reconcile
check "the zsh and fish completions name ap-reconcile" \
  bash -c 'grep -q "#compdef ap-reconcile" "$1/share/zsh/site-functions/_ap-reconcile" && grep -Eq "^complete -c .?ap-reconcile.? " "$1/share/fish/vendor_completions.d/ap-reconcile.fish"' _ "$root/usr/local"
step "installed and ran the commands that need no API"

# 5. A real run against the sandbox. The window and clock are the demo's (samples/README.md).
# scripts/test.sh names the ap-sandbox its `swift build --build-tests` built (building the
# product alone there would recompile part of the sandbox's dependencies differently).
sandbox="${AP_PACKAGE_TEST_SANDBOX:-}"
if [ -z "$sandbox" ]; then
  swift build --product ap-sandbox >&2
  sandbox=.build/debug/ap-sandbox
  step "built ap-sandbox"
fi
[ -x "$sandbox" ] || { echo "package-test: no ap-sandbox at $sandbox" >&2; exit 1; }
client_id=package-test-client
client_secret="package-test-$RANDOM$RANDOM"
ready=.build/pkgroot/sandbox.out
: > "$ready"
# Pages of 2, like the demo (its client asks for 2; the run's client asks for more and the
# sandbox clamps), so the request counts in report.json are the demo's too.
AP_CLIENT_SECRET="$client_secret" "$sandbox" serve --host 127.0.0.1 --port 0 --dataset samples/api \
  --client-id "$client_id" --page-shape alternating --default-page-size 2 --max-page-size 2 > "$ready" 2> .build/pkgroot/sandbox.err &
sandbox_pid=$!
for _ in $(seq 1 300); do
  grep -q '^listening on ' "$ready" && break
  kill -0 "$sandbox_pid" 2>/dev/null || break
  sleep 0.1
done
base_url=$(sed -n 's/^listening on //p' "$ready" | head -n 1)
[ -n "$base_url" ] || { cat .build/pkgroot/sandbox.err >&2; echo "package-test: ap-sandbox did not start" >&2; exit 1; }

out=/tmp/package-test/out
# The preflight the README has an operator run before the first night: every check passes.
set +e
in_root AP_CLIENT_ID="$client_id" AP_CLIENT_SECRET="$client_secret" \
  ap-reconcile check --base-url "$base_url" --out "$out" --state /tmp/package-test/state \
  > .build/pkgroot/check.out 2> .build/pkgroot/check.err
status=$?
set -e
check "the packaged check against the sandbox exits 0 (status $status)" test "$status" -eq 0
[ "$status" -eq 0 ] || sed 's/^/package-test:   check: /' .build/pkgroot/check.out .build/pkgroot/check.err
check "check prints one line per check and no FAIL" bash -c 'grep -q "^ok " .build/pkgroot/check.out && ! grep -q "^FAIL" .build/pkgroot/check.out'
check "check wrote nothing into --out or --state" bash -c '! [ -e "$1/tmp/package-test/out" ] && ! [ -e "$1/tmp/package-test/state/state.json" ]' _ "$root"

# The demo's statements too (Demo.defaultBankStatements): reports name them by base name, so
# bank.csv and the cash section equal the demo's wherever the files lie.
mkdir -p "$root/tmp/package-test/bank"
cp samples/bank/camt.053/statement-*.xml "$root/tmp/package-test/bank/"
set +e
in_root AP_CLIENT_ID="$client_id" AP_CLIENT_SECRET="$client_secret" \
  ap-reconcile run --base-url "$base_url" --since 2026-11-01 --until 2026-11-08 --as-of 2026-11-08T06:00:00Z \
  --fail-on never --bank-statement '/tmp/package-test/bank/statement-*.xml' --out "$out" > .build/pkgroot/run.out 2> .build/pkgroot/run.err
status=$?
set -e
check "the packaged run against the sandbox exits 0 (status $status)" test "$status" -eq 0
[ "$status" -eq 0 ] || sed 's/^/package-test:   run: /' .build/pkgroot/run.err
check "the run's output names no secret" bash -c '! grep -qF "$1" .build/pkgroot/run.out .build/pkgroot/run.err' _ "$client_secret"
if compared=$(python3 scripts/compare-reports.py samples/reports "$root$out" "$base_url" http://ap-sandbox.invalid); then
  pass "the reports equal samples/reports ($compared)"
else
  fail "the reports differ from samples/reports: $compared"
fi
step "ran the packaged binary against ap-sandbox at $base_url"

echo "package-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

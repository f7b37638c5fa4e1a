#!/usr/bin/env bash
# Installs what ap-reconcile needs to build on Debian/Ubuntu, and nothing that is already there.
# Called by scripts/demo.sh and scripts/test.sh; safe to run again.
set -euo pipefail

need_apt=()
if ! pkg-config --exists libcurl 2>/dev/null; then
  need_apt+=(libcurl4-openssl-dev)
fi
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing ${need_apt[*]} with apt-get" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "bootstrap: need root (or sudo) to apt-get install ${need_apt[*]}" >&2; exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$d/swift" ] && export PATH="$d:$PATH"
  done
fi
command -v swift >/dev/null 2>&1 || { echo "bootstrap: the Swift 6 toolchain is not installed (https://www.swift.org/install/linux/)" >&2; exit 1; }

# The sandbox listens on loopback: never send that traffic through a configured proxy.
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
export NO_PROXY="$no_proxy"

#!/usr/bin/env bash
# Builds the release package: dist/ap-reconcile-VERSION-linux-ARCH.tar.gz.
#
#   scripts/package.sh                        build and write the tarball; its path is the last line
#   scripts/package.sh --print-build-flags    the `swift build` flags (the Dockerfile must use the same)
#   scripts/package.sh --print-runtime-packages  the Debian packages the binary needs at run time
#
# The binary links the Swift standard library and Foundation statically, so a Debian machine
# needs only the runtime packages and no Swift toolchain (scripts/package-test.sh proves it).
# VERSION comes from the file VERSION at the repository root; ARCH is Debian's name for the
# machine (amd64, arm64), which is also Go's GOARCH for both.
#
# The tarball holds one folder laid out like /usr/local, so
#   tar -xzf ap-reconcile-VERSION-linux-ARCH.tar.gz -C /usr/local --strip-components=1
# installs it:
#   bin/ap-reconcile
#   share/man/man1/ap-reconcile.1
#   share/bash-completion/completions/ap-reconcile
#   share/zsh/site-functions/_ap-reconcile
#   share/fish/vendor_completions.d/ap-reconcile.fish
#   share/doc/ap-reconcile/{README.md,LICENSE,CHANGELOG.md,jobs/}
#   lib/systemd/system/ap-reconcile.{service,timer}   (systemd reads /usr/local/lib/systemd/system)
#   lib/sysusers.d/ap-reconcile.conf                   (systemd-sysusers reads /usr/local/lib/sysusers.d)
#
# Environment: SOURCE_DATE_EPOCH  file times and the man page's date (default: the last commit's
# time), so the same commit gives the same tarball listing.
set -euo pipefail
cd "$(dirname "$0")/.."

# One list each; the Dockerfile repeats them and scripts/package-test.sh checks they agree.
build_flags=(-c release --product ap-reconcile --static-swift-stdlib)
runtime_packages=(ca-certificates libcurl4)

case "${1:-}" in
  --print-build-flags) echo "${build_flags[*]}"; exit 0 ;;
  --print-runtime-packages) echo "${runtime_packages[*]}"; exit 0 ;;
  -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "package: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

source scripts/bootstrap.sh
if ! command -v strip >/dev/null 2>&1; then
  echo "package: installing binutils (strip) with apt-get" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends binutils >/dev/null
fi

version=$(tr -d '[:space:]' < VERSION)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || {
  echo "package: VERSION holds '$version', not a version like 1.2.3" >&2; exit 2; }
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "package: no package name for machine $(uname -m)" >&2; exit 2 ;;
esac
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

name="ap-reconcile-$version-linux-$arch"
echo "package: swift build ${build_flags[*]}" >&2
swift build "${build_flags[@]}" >&2
bin_dir=$(swift build "${build_flags[@]}" --show-bin-path)

# The man page: swift-argument-parser's generate-manual tool, built on its own from the checkout
# this build resolved (the package plugin would build every product of the package first).
parser_checkout=.build/checkouts/swift-argument-parser
[ -f "$parser_checkout/Package.swift" ] || { echo "package: no $parser_checkout (swift build resolves it)" >&2; exit 1; }
echo "package: building generate-manual" >&2
swift build --package-path "$parser_checkout" --scratch-path .build/tools -c release --product generate-manual >&2
generate_manual="$(swift build --package-path "$parser_checkout" --scratch-path .build/tools -c release --show-bin-path)/generate-manual"

stage=".build/package/$name"
rm -rf ".build/package" && mkdir -p "$stage"
install -D -m 0755 "$bin_dir/ap-reconcile" "$stage/bin/ap-reconcile"
strip --strip-all "$stage/bin/ap-reconcile"
binary="$stage/bin/ap-reconcile"

# The binary must be the version this file names (it prints it with --version).
reported=$("$binary" --version)
[ "$reported" = "$version" ] || [[ "$reported" == "$version "* ]] || {
  echo "package: VERSION says $version but the binary's --version says '$reported'" >&2; exit 1; }

mkdir -p "$stage/share/man/man1"
"$generate_manual" "$binary" --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)" \
  --output-directory "$stage/share/man/man1" >&2
[ -s "$stage/share/man/man1/ap-reconcile.1" ] || { echo "package: generate-manual wrote no ap-reconcile.1" >&2; exit 1; }

install -d "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions" \
  "$stage/share/fish/vendor_completions.d"
"$binary" --generate-completion-script bash > "$stage/share/bash-completion/completions/ap-reconcile"
"$binary" --generate-completion-script zsh > "$stage/share/zsh/site-functions/_ap-reconcile"
"$binary" --generate-completion-script fish > "$stage/share/fish/vendor_completions.d/ap-reconcile.fish"

doc="$stage/share/doc/ap-reconcile"
install -d "$doc"
install -m 0644 README.md LICENSE CHANGELOG.md "$doc/"
cp -R jobs "$doc/jobs"
install -D -m 0644 jobs/systemd/ap-reconcile.service "$stage/lib/systemd/system/ap-reconcile.service"
install -D -m 0644 jobs/systemd/ap-reconcile.timer "$stage/lib/systemd/system/ap-reconcile.timer"
install -D -m 0644 jobs/systemd/ap-reconcile.sysusers "$stage/lib/sysusers.d/ap-reconcile.conf"
chmod -R u=rwX,go=rX "$stage"

mkdir -p dist
tarball="dist/$name.tar.gz"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C .build/package -cf - "$name" | gzip -9 -n > "$tarball.partial"
mv "$tarball.partial" "$tarball"
echo "package: $(du -h "$tarball" | cut -f1) $tarball (binary $(du -h "$binary" | cut -f1))" >&2
echo "$tarball"

#!/bin/bash
# Installs the Debian packages the build and the tests need, if missing.
# Fast when everything is present: it only asks dpkg.
. "$(dirname "$0")/common.sh"

PKGS=(
  # unpacking the source package and building OpenJDK
  dpkg-dev xz-utils patch autoconf automake zip unzip file make g++-12 ccache
  openjdk-17-jdk-headless
  # the CA store the built JDK links to, as Debian's own JDK does
  ca-certificates-java
  # system libraries, as in Debian's own configure line
  libasound2-dev libcups2-dev libfontconfig-dev libfreetype-dev libharfbuzz-dev
  liblcms2-dev libpng-dev libjpeg-dev libgif-dev zlib1g-dev libpcsclite-dev
  libx11-dev libxext-dev libxtst-dev libxi-dev libxt-dev libxrender-dev libxrandr-dev
  # persistent memory write-back primitives
  libpmem-dev libpmem1
  # tests
  jtreg7 libtestng7-java libasmtools-java
  # pmem-kv's tests talk to it with unmodified redis-cli and redis-benchmark
  redis-tools
  # pmem-kv's tests compare replies with a real redis-server
  redis-server
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && { note "build dependencies present"; exit 0; }

note "installing build dependencies: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null || die "apt-get update failed; check the machine's apt sources and network"
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
  || die "apt-get install failed for: ${missing[*]} (run it by hand to see why)"

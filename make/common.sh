# Shared settings for the pmem-jdk build scripts. Sourced, not run.
#
# Everything large (downloaded sources, the unpacked upstream tree, the
# patched working tree, the OpenJDK build tree and ccache) lives in the
# cache directory, outside the checkout, so that a new clone on a machine
# that built before rebuilds incrementally.

set -euo pipefail

PMEM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PMEM_CACHE="${PMEM_JDK_CACHE:-$HOME/.cache/pmem-jdk}"

# The pinned upstream: Debian's openjdk-17 source package.
UPSTREAM_PKG=openjdk-17
UPSTREAM_VERSION="$(sed -n 's/^version=//p' "$PMEM_ROOT/make/upstream.conf")"

SRC_DIR="$PMEM_CACHE/src/$UPSTREAM_VERSION"     # downloaded files
UPSTREAM_DIR="$PMEM_CACHE/upstream"              # pristine unpacked tree
TREE_DIR="$PMEM_CACHE/tree"                      # upstream + patches + overlay
# OpenJDK's build output. It must lie inside the source tree: with ccache,
# OpenJDK compiles with paths relative to the tree, and its dependency files
# only match make's targets when the build dir is inside it (otherwise a
# changed header silently recompiles nothing).
BUILD_DIR="$TREE_DIR/build/pmem"
CCACHE_DIR_PMEM="$PMEM_CACHE/ccache"

die() { echo "pmem-jdk: error: $*" >&2; exit 1; }
note() { echo "pmem-jdk: $*"; }

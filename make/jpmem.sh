#!/bin/bash
# Builds jpmem, the offline heap-file inspector (tools/jpmem), into the JDK
# image: lib/jpmem.jar and the launcher bin/jpmem. Run by make/build.sh
# after each image build; recompiles only when a source changed.
. "$(dirname "$0")/common.sh"
IMAGE="$BUILD_DIR/images/jdk"
SRC="$PMEM_ROOT/tools/jpmem"
JAR="$IMAGE/lib/jpmem.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$SRC" -newer "$JAR" -type f | head -1)" ]; then
  out="$PMEM_CACHE/jpmem-classes"
  rm -rf "$out"; mkdir -p "$out"
  "$IMAGE/bin/javac" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -d "$out" "$SRC"/src/jpmem/*.java
  "$IMAGE/bin/jar" --create --file "$JAR" -C "$out" .
fi
install -m 755 "$SRC/jpmem" "$IMAGE/bin/jpmem"

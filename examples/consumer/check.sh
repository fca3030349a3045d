#!/usr/bin/env bash
# Install a build to a prefix and use it from outside the tree: the consumer
# example built with CMake (shared and static libeie) and with plain
# `cc $(pkg-config --cflags --libs eie)`, and the Python package from the prefix.
#   examples/consumer/check.sh BUILD_DIR WORK_DIR [PYTHON]
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
py=${3:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
prefix=$work/prefix

echo "== cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(dirname "$(find "$prefix" -name 'libeie.so' | head -1)")

echo "== consumer with CMake (find_package(eie))"
cmake -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log"
cmake --build "$work/cmake" >>"$work/cmake.log"
"$work/cmake/paper_example" | tee "$work/cmake.out"
"$work/cmake/paper_example_static" >"$work/cmake_static.out"
cmp "$work/cmake.out" "$work/cmake_static.out"
grep -q "on 4 PEs: 23 cycles" "$work/cmake.out"

echo "== consumer with pkg-config"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "$here/paper_example.c" $(pkg-config --cflags --libs eie) -o "$work/paper_example_pc"
LD_LIBRARY_PATH="$libdir" "$work/paper_example_pc" | tee "$work/pc.out"
cmp "$work/cmake.out" "$work/pc.out"
# shellcheck disable=SC2046
cc -std=c11 "$here/paper_example.c" $(pkg-config --static --cflags eie) \
   "$libdir/libeie.a" $(pkg-config --static --libs-only-l eie | sed 's/-leie//') -o "$work/paper_example_pc_static"
"$work/paper_example_pc_static" | cmp - "$work/cmake.out"

echo "== Python from the prefix"
pkg=$(find "$prefix" -type d -name eie -path '*python3*' | head -1)
if [ -z "$pkg" ]; then
  echo "Python package not installed (EIE_WITH_PYTHON=OFF): Python check skipped"
elif "$py" -c "import numpy" 2>/dev/null; then
  pydir=$(dirname "$pkg")
  (cd "$work" && env -u EIE_LIBRARY -u EIE_CLI PYTHONPATH="$pydir" "$py" -c \
    "import eie; r = eie.example_paper().run(); print(eie.LIBRARY, r.cycles); assert r.cycles == 23")
else
  echo "numpy missing for $py: Python check skipped"
fi
echo "consumer: OK"

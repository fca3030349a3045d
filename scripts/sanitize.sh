#!/usr/bin/env bash
# Build the C model, the CLI and their tests with AddressSanitizer and
# UndefinedBehaviorSanitizer (no RTL) and run the unit, property and CLI tests;
# then run a representative gen/run under valgrind memcheck.
#   scripts/sanitize.sh BUILDDIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
gen=""
command -v ninja >/dev/null && gen="-G Ninja"
# quiet LOG command...: the command's output into LOG, shown (its end) only when it fails.
quiet() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { echo "sanitize: failed: $*" >&2; tail -40 "$log" >&2; exit 1; }
}
mkdir -p "$dir"
quiet "$dir/configure.log" cmake -S "$root" -B "$dir" $gen -DCMAKE_BUILD_TYPE=Debug -DEIE_WITH_RTL=OFF \
  -DEIE_WITH_SYSTEMC=OFF -DEIE_WITH_PYTHON=OFF \
  -DCMAKE_C_FLAGS="$san" -DCMAKE_CXX_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san"
quiet "$dir/build.log" cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)"
(cd "$dir" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest -j "$(nproc 2>/dev/null || echo 2)" -L "unit|property|cli" --output-on-failure | tail -3)

# valgrind memcheck: generate and run a small pack with the sanitizer-free tool.
plain="$dir-plain"
mkdir -p "$plain"
quiet "$plain/configure.log" cmake -S "$root" -B "$plain" $gen -DCMAKE_BUILD_TYPE=Debug -DEIE_WITH_RTL=OFF \
  -DEIE_WITH_SYSTEMC=OFF -DEIE_WITH_TESTS=OFF
quiet "$plain/build.log" cmake --build "$plain" -j "$(nproc 2>/dev/null || echo 2)" --target eie_cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
$vg "$plain/bin/eie" gen --random-net 120,80,40 --density 0.2 --pes 5 --fifo-depth 3 -q -o "$work/pack"
$vg "$plain/bin/eie" run "$work/pack" >/dev/null
echo "valgrind memcheck: eie gen and eie run clean"

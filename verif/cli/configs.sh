#!/usr/bin/env bash
# The RTL configuration list (rtl/eie_configs.txt) through scripts/configs.sh: what
# CMake, the Makefile and the scripts read, and its errors on a malformed list.
set -uo pipefail
source "$(dirname "$0")/lib.bash" "$1" "$2"
root=$(cd "$(dirname "$0")/../.." && pwd)
CFG=$root/scripts/configs.sh

expect 0 "^small 4 2$" -- "$CFG" get small
expect 0 "^small\|medium\|paper$" -- "$CFG" names build
expect 0 "^small 4 2$" -- "$CFG" list systemc
expect 0 "^paper 64 8$" -- "$CFG" list bench
# Every line used by systemc and bench is exactly one; every build line is linted (any).
[ "$("$CFG" list systemc | wc -l)" = 1 ] && [ "$("$CFG" list bench | wc -l)" = 1 ] ||
  { echo "FAIL: systemc and bench must each name exactly one line"; fails=$((fails + 1)); }
expect1 3 "no RTL configuration 'huge' in .*eie_configs.txt \(have: small medium paper" -- "$CFG" get huge

# The builds this eie was made with are the list's "build" lines, with the C model's hash.
if "$EIE" params --rtl-builds >"$T/builds" 2>/dev/null && [ -s "$T/builds" ]; then
  while read -r name pes fifo; do
    want=$("$EIE" params --pes "$pes" --fifo-depth "$fifo" --hash | awk '{ print $1 }')
    expect 0 "^$name NUM_PE=$pes FIFO_DEPTH=$fifo param_hash $want " -- grep "^$name " "$T/builds"
  done < <("$CFG" list build)
fi

# Malformed lists: one line naming the file and line, exit 3.
bad() {
  printf '%s\n' "# comment" "$1" >"$T/bad.txt"
  expect1 3 "$2" -- env EIE_CONFIGS_FILE="$T/bad.txt" "$CFG" list build
}
bad "small 4 build" "bad.txt:2: expected NAME NUM_PE FIFO_DEPTH USES"
bad "Small 4 2 build" "bad.txt:2: expected NAME"
bad "small 4 2 build,synth" "bad.txt:2: expected NAME"
bad "small x 2 build" "bad.txt:2: expected NAME"
printf '%s\n' "a 1 1 build" "a 2 2 lint" >"$T/dup.txt"
expect1 3 "dup.txt:2: configuration a named twice" -- env EIE_CONFIGS_FILE="$T/dup.txt" "$CFG" list any
expect1 3 "missing.txt: cannot read" -- env EIE_CONFIGS_FILE="$T/missing.txt" "$CFG" list any
expect1 3 "usage: scripts/configs.sh" -- "$CFG" list
finish

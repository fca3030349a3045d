#!/usr/bin/env bash
# The RTL configurations of rtl/eie_configs.txt, read in one place for CMake
# (cmake/EieConfigs.cmake), the Makefile and the scripts.
#   scripts/configs.sh list USE    "NAME NUM_PE FIFO_DEPTH" of every line whose USES name USE
#                                  (build, systemc, bench, lint; any: every line), one a line
#   scripts/configs.sh names USE   the names of those lines, separated by '|' (small|medium|paper)
#   scripts/configs.sh get NAME    "NAME NUM_PE FIFO_DEPTH" of the line NAME
# A malformed file or an unknown NAME: a one-line error, exit 3.
set -euo pipefail
file=${EIE_CONFIGS_FILE:-$(cd "$(dirname "$0")/.." && pwd)/rtl/eie_configs.txt}
die() { echo "configs: $*" >&2; exit 3; }
[ $# = 2 ] || die "usage: scripts/configs.sh list|names USE | get NAME"
[ -r "$file" ] || die "$file: cannot read"
# Every non-comment line, checked: NAME NUM_PE FIFO_DEPTH USES, names unique.
lines=$(awk -v f="$file" '
  /^[ \t]*(#|$)/ { next }
  NF != 4 || $1 !~ /^[a-z][a-z0-9_]*$/ || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ ||
  $4 !~ /^(build|systemc|bench|lint)(,(build|systemc|bench|lint))*$/ {
    printf "%s:%d: expected NAME NUM_PE FIFO_DEPTH USES (build,systemc,bench,lint), got: %s\n", f, NR, $0 > "/dev/stderr"
    bad = 1; exit }
  seen[$1]++ { printf "%s:%d: configuration %s named twice\n", f, NR, $1 > "/dev/stderr"; bad = 1; exit }
  { print $1, $2, $3, $4 }
  END { exit bad }' "$file") || exit 3
case $1 in
  list | names)
    sel=$(awk -v u="$2" 'u == "any" || index("," $4 ",", "," u ",") { print $1, $2, $3 }' <<<"$lines")
    if [ "$1" = list ]; then
      [ -z "$sel" ] || echo "$sel"
    else
      awk '{ printf "%s%s", (NR > 1 ? "|" : ""), $1 } END { print "" }' <<<"$sel"
    fi
    ;;
  get)
    sel=$(awk -v n="$2" '$1 == n { print $1, $2, $3 }' <<<"$lines")
    [ -n "$sel" ] || die "no RTL configuration '$2' in $file (have: $(awk '{ print $1 }' <<<"$lines" | paste -sd ' '))"
    echo "$sel"
    ;;
  *) die "usage: scripts/configs.sh list|names USE | get NAME" ;;
esac

#!/usr/bin/env bash
# Rerun one regression test with an FST trace of the RTL and open it in GTKWave
# with a saved view from sim/*.gtkw (signal ranges adapted to the test's
# configuration). Without a display, prints the command instead.
#   scripts/waves.sh BUILD TEST [VIEW] [TIER]      VIEW: ccu (default), pe, queues, events
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$1 test=${2:-} view=${3:-ccu} tier=${4:-default}
[ -n "$test" ] || { echo "usage: make waves TEST=<name from the regression> [VIEW=ccu|pe|queues|events]" >&2; exit 3; }
[ -f "$root/sim/$view.gtkw" ] || { echo "waves: no view sim/$view.gtkw (views: $(ls "$root"/sim/*.gtkw | xargs -n1 basename | sed 's/.gtkw//' | tr '\n' ' '))" >&2; exit 3; }
out="$build/waves/$test"
WAVES=1 "$root/sim/regress.sh" --build "$build" --tier "$tier" --filter "^$test[[:space:]]" --jobs 1 --out "$out" || true
fst="$out/waves/$test.fst"
[ -f "$fst" ] || { echo "waves: no trace written (is '$test' in sim/tests/$tier.list, with an RTL build for its configuration?)" >&2; exit 3; }
# Adapt the view's vector ranges to the signals this configuration dumped.
fst2vcd "$fst" 2>/dev/null | awk -f "$root/scripts/vcd_signals.awk" >"$out/signals.txt"
gtkw="$out/$view.gtkw"
{
  echo "[dumpfile] \"$fst\""
  awk 'NR == FNR { full = $0; base = full; sub(/\[[0-9]+:[0-9]+\]$/, "", base); map[base] = full; next }
       /^top\./ { base = $0; sub(/\[[0-9]+:[0-9]+\]$/, "", base); print (base in map) ? map[base] : $0; next }
       { print }' "$out/signals.txt" "$root/sim/$view.gtkw"
} >"$gtkw"
echo "waves: $fst"
echo "view:  $gtkw"
if [ -n "${DISPLAY:-}" ] && command -v gtkwave >/dev/null; then
  exec gtkwave "$fst" "$gtkw"
else
  echo "no display: open it with  gtkwave $fst $gtkw"
fi

#!/usr/bin/env bash
# Every signal named in the saved GTKWave views (sim/*.gtkw) exists in an FST the
# RTL harness dumps (the views are written for the 4-PE, FIFO-2 build).
#   gtkw_signals.sh EIE_BINARY WORKDIR
set -euo pipefail
eie=$1 work=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
"$eie" gen --example paper --pes 4 --fifo-depth 2 -q -o "$work/pack"
"$eie" run "$work/pack" --engine both --trace "$work/paper.fst" >/dev/null
fst2vcd "$work/paper.fst" 2>/dev/null | awk -f "$root/scripts/vcd_signals.awk" \
  | sort -u >"$work/signals.txt"
[ -s "$work/signals.txt" ] || { echo "FAIL: no signals in the dumped FST"; exit 1; }
missing=0 total=0
for view in "$root"/sim/*.gtkw; do
  while IFS= read -r s; do
    total=$((total + 1))
    grep -qxF "$s" "$work/signals.txt" || { echo "FAIL: $(basename "$view"): $s not in the FST"; missing=$((missing + 1)); }
  done < <(grep '^top\.' "$view")
done
echo "$((total - missing)) of $total view signals found in the FST ($(wc -l <"$work/signals.txt") signals dumped)"
[ "$missing" -eq 0 ] || exit 1

# The C model's VCD uses the RTL's names: every signal it writes exists in the RTL's FST.
"$eie" run "$work/pack" --engine cmodel --trace "$work/model.vcd" >/dev/null
awk -f "$root/scripts/vcd_signals.awk" \
  "$work/model.vcd" >"$work/model_signals.txt"
bad=0
while IFS= read -r s; do
  grep -qxF "$s" "$work/signals.txt" || { echo "FAIL: the C model's VCD has $s, the RTL's FST has not"; bad=$((bad + 1)); }
done <"$work/model_signals.txt"
echo "$(( $(wc -l <"$work/model_signals.txt") - bad )) of $(wc -l <"$work/model_signals.txt") C-model VCD signals named as in the RTL"
[ "$bad" -eq 0 ]

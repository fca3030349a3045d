#!/usr/bin/env bash
# Formal checks of the RTL units with yosys' SAT-based prover (sat -tempinduct):
# each harness in verif/formal/ constrains the first cycle to reset, states its
# environment as assumptions, and its properties (and the unit's own FORMAL
# block) as assertions. "induct" jobs are proven for every reachable state by
# k-induction (at most MAXSTEPS steps); "bmc" jobs are checked for every input
# sequence of MAXSTEPS cycles from reset. A failure prints its counterexample
# trace (VCD).
# yosys' own SAT prover rather than yosys-smtbmc: Debian 12's z3 (4.8.12) through
# yosys-smtbmc needed over 100 s for the first step of the 3-entry FIFO that
# sat -tempinduct proves by induction in well under a second.
#   scripts/formal.sh [OUTDIR] [JOB...]          (default: build/formal, every job)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/formal}
shift || true
mkdir -p "$out"

# name | harness top | RTL files | mode | max steps
JOBS=(
  "fifo|eie_fifo_formal|eie_fifo.sv|induct|8"
  "lnzd|eie_lnzd_formal|eie_lnzd.sv|bmc|17"
  "ptr_read|eie_pe_ptr_read_formal|eie_sram_1p.sv eie_pe_ptr_read.sv|bmc|8"
  "arith|eie_pe_arith_formal|eie_pe_arith.sv|bmc|9"
)

status=0
for job in "${JOBS[@]}"; do
  IFS='|' read -r name top files mode steps <<<"$job"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  srcs=""
  for f in eie_params_pkg.sv $files; do srcs="$srcs $root/rtl/$f"; done
  srcs="$srcs $root/verif/formal/$top.sv"
  vcd="$out/$name.vcd"
  rm -f "$vcd"
  case "$mode" in
    induct) how="-tempinduct" ;;
    bmc) how="-tempinduct -tempinduct-baseonly" ;;
  esac
  start=$(date +%s)
  if yosys -q -l "$out/$name.log" -p "read_verilog -sv -formal -DFORMAL $srcs; prep -top $top; \
      flatten; memory_map; opt_clean; async2sync; dffunmap; \
      sat $how -prove-asserts -set-assumes -set-at 1 rst_ni 0 -maxsteps $steps \
          -dump_vcd $vcd -show-all -verify" >/dev/null 2>&1; then
    secs=$(( $(date +%s) - start ))
    if [ "$mode" = induct ]; then
      k=$(grep -o "induction step [0-9]*" "$out/$name.log" | tail -1 | grep -o "[0-9]*$")
      echo "formal: $name proven by induction (k=$k) in ${secs}s"
    else
      echo "formal: $name holds for $steps cycles from reset (bounded) in ${secs}s"
    fi
  else
    secs=$(( $(date +%s) - start ))
    echo "formal: $name FAILED after ${secs}s (log $out/$name.log)" >&2
    grep -E "model found|ERROR" "$out/$name.log" | head -3 >&2 || true
    # The assertions false in the last step of the counterexample. yosys names
    # each check's value _CHECK and its enable _EN; checks under one condition
    # share the enable listed just before them. yosys 0.23 names a check by a
    # nearby source line: the assertion's own or the end of the statement before.
    awk '$1 ~ /^[0-9]+$/ && $2 ~ /\$formal\$.*_(CHECK|EN)\[/ {
           key = $2; sub(/_(CHECK|EN)\[.*/, "", key); sub(/^.*\$formal\$/, "", key)
           if ($1 + 0 > last + 0) { last = $1; n = 0; delete chk; delete en; delete ord }
           if ($2 ~ /_CHECK\[/) { chk[key] = $3; ord[++n] = key } else en[key] = $3 }
         END { cur = 1
               for (i = 1; i <= n; i++) { k = ord[i]; if (k in en) cur = en[k]
                 if (chk[k] == 0 && cur != 0) {
                   loc = k; sub(/\$[0-9]+$/, "", loc)
                   print "formal:   assertion failed at " loc " in step " last } } }' \
      "$out/$name.log" | sort -u >&2
    [ -s "$vcd" ] && echo "formal: counterexample trace $vcd" >&2
    status=1
  fi
done
exit $status

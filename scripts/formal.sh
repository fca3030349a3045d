#!/usr/bin/env bash
# Formal checks of the RTL units with yosys' SAT-based prover (sat -tempinduct):
# each harness in verif/formal/ constrains the first cycle to reset, states its
# environment as assumptions, and its properties (and the unit's own FORMAL
# block) as assertions. "induct" jobs are proven for every reachable state by
# k-induction (at most MAXSTEPS steps); "bmc" jobs are checked for every input
# sequence of MAXSTEPS cycles from reset. A failure prints its counterexample
# trace (VCD). Two jobs run at once (FORMAL_JOBS=n to change); their reports
# are printed in the order of JOBS.
# yosys' own SAT prover rather than yosys-smtbmc: Debian 12's z3 (4.8.12) through
# yosys-smtbmc needed over 100 s for the first step of the 3-entry FIFO that
# sat -tempinduct proves by induction in well under a second.
#   scripts/formal.sh [OUTDIR] [JOB...]          (default: build/formal, every job)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/formal}
shift || true
mkdir -p "$out"

# name | harness top | RTL files (a path with a / is from the repository root) | mode | max steps
# [| harness parameters NAME=VALUE ...]. Longest first, so the two at a time finish together.
TOP_RTL="verif/formal/eie_sram_1p_one.sv eie_sram_1r1w.sv eie_fifo.sv eie_pe_act_queue.sv eie_pe_ptr_read.sv \
eie_pe_spmat_read.sv eie_pe_arith.sv eie_pe_act_rw.sv eie_pe_writeback.sv eie_pe.sv eie_lnzd_node.sv eie_lnzd.sv eie_ccu.sv eie_top.sv"
JOBS=(
  "ccu|eie_ccu_formal|verif/formal/eie_sram_1p_any.sv eie_ccu.sv|bmc|26"
  "lnzd|eie_lnzd_formal|eie_lnzd_node.sv eie_lnzd.sv|bmc|17"
  "arith|eie_pe_arith_formal|eie_pe_arith.sv|bmc|9"
  "desc_read|eie_top_formal|$TOP_RTL|bmc|8"
  "ptr_read|eie_pe_ptr_read_formal|eie_sram_1p.sv eie_pe_ptr_read.sv|bmc|8"
  "top|eie_top_formal|$TOP_RTL|induct|4|ReadBack=0"
  "fifo|eie_fifo_formal|eie_fifo.sv|induct|8"
)

# One job: its report on stdout (a failure on stderr), exit status 1 if it fails.
run_job() {
  local name top files mode steps params srcs f p chp vcd how start secs k
  IFS='|' read -r name top files mode steps params <<<"$1"
  srcs=""
  for f in eie_params_pkg.sv $files; do
    case "$f" in */*) srcs="$srcs $root/$f" ;; *) srcs="$srcs $root/rtl/$f" ;; esac
  done
  srcs="$srcs $root/verif/formal/$top.sv"
  chp=""
  for p in $params; do chp="$chp chparam -set ${p%%=*} ${p#*=} $top;"; done
  vcd="$out/$name.vcd"
  rm -f "$vcd"
  case "$mode" in
    induct) how="-tempinduct" ;;
    bmc) how="-tempinduct -tempinduct-baseonly" ;;
  esac
  start=$(date +%s)
  if yosys -q -l "$out/$name.log" -p "read_verilog -sv -formal -DFORMAL $srcs;$chp prep -top $top; \
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
    return 1
  fi
}

njobs=${FORMAL_JOBS:-2}
names=()
pids=()
for job in "${JOBS[@]}"; do
  name=${job%%|*}
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  while [ "$(jobs -pr | wc -l)" -ge "$njobs" ]; do wait -n || true; done
  run_job "$job" >"$out/$name.out" 2>"$out/$name.err" &
  names+=("$name")
  pids+=("$!")
done
status=0
for i in "${!names[@]}"; do
  wait "${pids[$i]}" || status=1
  cat "$out/${names[$i]}.out"
  cat "$out/${names[$i]}.err" >&2
done
exit $status

#!/usr/bin/env bash
# Lint the RTL with Verilator -Wall for every RTL configuration, and check that
# iverilog and yosys accept it. Waivers, if ever needed, go in a Verilator
# configuration file (rtl/lint.vlt) passed here,
# scoped to a file and a rule, each with a comment.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/rtl"
files=$(tr "\n" " " < rtl.f)
status=0
configs=$("$root/scripts/configs.sh" list any)  # every line of rtl/eie_configs.txt
while read -r name pes fifo; do
  if verilator --lint-only -Wall --top-module eie_top -GNumPe="$pes" -GFifoDepth="$fifo" $files; then
    echo "lint: verilator -Wall clean ($name: $pes PEs, FIFO $fifo)"
  else
    status=1
  fi
done <<<"$configs"
# The simulation-only assertions (EIE_ASSERT) sample rst_ni synchronously; that is
# their only lint finding, waived here and nowhere else.
if verilator --lint-only -Wall -Wno-SYNCASYNCNET --assert +define+EIE_ASSERT --top-module eie_top $files; then
  echo "lint: verilator -Wall clean with the assertions (EIE_ASSERT)"
else
  status=1
fi
# The simulation preload (InitDir) and the test-only fault build elaborate cleanly too.
if verilator --lint-only -Wall --top-module eie_top -GNumPe=12 -GFifoDepth=2 -GInitDir='"pack"' \
     +define+EIE_TEST_FAULT_PE0_ACT $files; then
  echo "lint: verilator -Wall clean with the preload (InitDir) and the test-only fault define"
else
  status=1
fi
# iverilog fails by its exit status or by any message that is not a "sorry"
# (an unsupported construct it works around).
iv_rc=0
iv_out=$(iverilog -g2012 -o /dev/null -s eie_top $files 2>&1) || iv_rc=$?
iv_msgs=$(printf '%s\n' "$iv_out" | grep -v "sorry:" | grep . || true)
if [ "$iv_rc" -ne 0 ] || [ -n "$iv_msgs" ]; then
  printf '%s\n' "$iv_msgs" >&2
  echo "lint: iverilog reported errors (exit $iv_rc)" >&2
  status=1
else
  echo "lint: iverilog -g2012 accepts the RTL"
fi
if yosys -q -p "read_verilog -sv $files; hierarchy -check -top eie_top -chparam NumPe 4 -chparam FifoDepth 2; proc; check -assert"; then
  echo "lint: yosys reads and checks the RTL"
else
  status=1
fi
exit $status

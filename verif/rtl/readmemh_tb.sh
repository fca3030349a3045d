#!/usr/bin/env bash
# The self-contained $readmemh testbench (tb/eie_tb_readmemh.sv) on vector packs,
# under iverilog and under Verilator: both must report PASS and write outputs
# equal to expected.hex.
#   readmemh_tb.sh EIE_BINARY WORKDIR
set -euo pipefail
eie=$1
work=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
rtl=$(sed "s|^|$root/rtl/|" "$root/rtl/rtl.f" | tr '\n' ' ')
tb=$root/tb/eie_tb_readmemh.sv
fails=0

"$eie" gen --example paper --pes 4 --fifo-depth 2 -q -o "$work/paper_example"
"$eie" gen --random 300x700 --density 0.1 --act-density 0.4 --seed 3 --pes 4 --fifo-depth 2 -q -o "$work/fc_300x700_d10_s3"

hash=$(sed -n 's/.*"param_hash": *"0x\([0-9a-f]*\)".*/\1/p' "$work/paper_example/manifest.json")
hash=$((16#$hash))

iverilog -g2012 -o "$work/tb_iverilog" -s eie_tb_readmemh -P eie_tb_readmemh.NumPe=4 \
  -P eie_tb_readmemh.FifoDepth=2 -P eie_tb_readmemh.ParamHash=$hash $rtl "$tb" 2>&1 | grep -v "sorry:" || true
verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style --top-module eie_tb_readmemh \
  -GNumPe=4 -GFifoDepth=2 -GParamHash=$hash -Mdir "$work/vbuild" -j 2 $rtl "$tb" >"$work/verilator.log" 2>&1 \
  || { tail -20 "$work/verilator.log"; exit 1; }

for pack in paper_example fc_300x700_d10_s3; do
  for sim in iverilog verilator; do
    out="$work/$pack.$sim.hex"
    if [ $sim = iverilog ]; then
      log=$(vvp -n "$work/tb_iverilog" +pack="$work/$pack" +out="$out" 2>&1 | grep -v "Standard inconsistency")
    else
      log=$("$work/vbuild/Veie_tb_readmemh" +pack="$work/$pack" +out="$out" 2>&1)
    fi
    if printf '%s' "$log" | grep -q "EIE-TB PASS" && diff -q <(grep -v '^//' "$work/$pack/expected.hex") "$out" >/dev/null; then
      echo "ok: $pack on $sim: $(printf '%s' "$log" | grep 'EIE-TB PASS')"
    else
      echo "FAIL: $pack on $sim"
      printf '%s\n' "$log" | tail -5 | sed 's/^/    /'
      fails=$((fails + 1))
    fi
  done
done
[ $fails -eq 0 ] && echo "all passed" || { echo "$fails failed"; exit 1; }

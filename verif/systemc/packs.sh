#!/usr/bin/env bash
# Vector packs through the SystemC platform: the C-model TLM target and the
# Verilated RTL's, one C driver; outputs and cycles must agree (eie_sc_run),
# the RTL's FST must hold the design, and bad input must be refused.
# usage: packs.sh EIE EIE_SC_RUN SCRATCH
set -u
SC=$2
source "$(dirname "$0")/../cli/lib.bash" "$1" "$3"
gen() { "$EIE" gen -q --pes 4 --fifo-depth 2 "$@" || { echo "FAIL: eie gen $*"; exit 1; }; }

gen --example paper -o "$T/paper_example"
gen --random 64x200 --density 0.2 --seed 3 -o "$T/fc_64x200_d20_s3"
gen --random 300x40 --density 0.5 --seed 4 -o "$T/fc_300x40_d50_s4"          # two passes
gen --random 20x1500 --density 0.1 --act-density 0.3 --seed 5 -o "$T/fc_20x1500_d10_s5"  # SRAM input
gen --random-net 200,100,30,10 --seed 6 -o "$T/net_200_100_30_10_s6"
"$EIE" gen -q --random 32x32 --pes 16 --fifo-depth 8 -o "$T/other_config"
packs=("$T"/paper_example "$T"/fc_* "$T"/net_*)

expect 0 "PASS test=.*net_200" -- "$SC" --engine both --trace "$T/sc.fst" "${packs[@]}"
out=$("$SC" --engine both "${packs[@]}" 2>&1)
n=$(printf '%s\n' "$out" | grep -c '^PASS ')
if [ "$n" != "${#packs[@]}" ]; then
  echo "FAIL: $n of ${#packs[@]} packs passed on both targets"; printf '%s\n' "$out"; fails=$((fails + 1))
else
  echo "ok: ${#packs[@]} packs, same outputs and cycles on the model and RTL targets"
fi
# The FST holds the RTL hierarchy and its clock.
if fst2vcd "$T/sc.fst" 2>/dev/null | grep -q 'u_top'; then echo "ok: FST has the RTL"; else
  echo "FAIL: $T/sc.fst has no u_top scope"; fails=$((fails + 1)); fi
# The driver issues exactly the pack's host command trace through TLM.
for eng in model rtl; do
  "$SC" --engine $eng --bus-log "$T/bus_$eng.log" "$T/net_200_100_30_10_s6" >/dev/null 2>&1
  grep -v '^//' "$T/net_200_100_30_10_s6/host_load.hex" > "$T/host_load.body"
  if head -n "$(wc -l < "$T/host_load.body")" "$T/bus_$eng.log" | cmp -s - "$T/host_load.body"; then
    echo "ok: $eng target received the pack's host_load.hex sequence"
  else echo "FAIL: bus writes to the $eng target differ from host_load.hex"; fails=$((fails + 1)); fi
done
expect 0 "PASS test=.*other_config" -- "$SC" --engine model "$T/other_config"
expect 3 "SystemC RTL is built for small: 4 PEs, FIFO 2" -- "$SC" --engine rtl "$T/other_config"
expect 3 "another configuration" -- "$SC" "$T/paper_example" "$T/other_config"
expect 3 "manifest|No such file|cannot" -- "$SC" "$T/missing_pack"
expect 3 "--engine 'fpga'" -- "$SC" --engine fpga "$T/paper_example"
expect 3 "--clock-mhz 'fast'" -- "$SC" --clock-mhz fast "$T/paper_example"
expect 3 "no pack given" -- "$SC"
expect 2 "FAIL test=.*no DONE" -- "$SC" --max-cycles 5 "$T/fc_64x200_d20_s3"
finish

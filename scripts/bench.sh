#!/usr/bin/env bash
# make bench: speed of the C model, the Verilated RTL (1 and 2 threads) and
# iverilog, on the paper-shaped layer (4096x4096, 9 % weights, 35 % activations,
# 64 PEs, FIFO 8) and, for iverilog, a smaller layer on 4 PEs. Each simulation
# time is the best of several runs (C model 5, Verilated RTL 3), as eie_bench does.
#   scripts/bench.sh BUILD
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
eie=$build/bin/eie
out=$build/bench
mkdir -p "$out"
# The RTL configuration timed on the paper layer: the "bench" line of rtl/eie_configs.txt.
read -r bname bpes bfifo < <("$root/scripts/configs.sh" list bench)
jnum() { sed -n "s/.*\"$2\": *\([0-9.e+-]*\).*/\1/p" "$1"; }
# best_of N EIE ARGS...: the smallest sim_seconds of N runs of `EIE run ARGS --json`
# (the last run's JSON kept in $out/last.json); every run must match its pack.
best_of() {
  local n=$1 bin=$2 best=
  shift 2
  for _ in $(seq "$n"); do
    "$bin" run "$@" --json >"$out/last.json"
    local s
    s=$(jnum "$out/last.json" sim_seconds)
    best=$(awk -v a="${best:-$s}" -v b="$s" 'BEGIN { print (b < a) ? b : a }')
  done
  echo "$best"
}

echo "== C model against a plain CSC product (best of 5) =="
"$build/bin/eie_bench" --json "$out/cmodel.json"

echo
echo "== Verilated RTL, $bpes PEs, 1 thread (best of 3 runs) =="
grep -qs '"schema_version": 2' "$out/alex7/manifest.json" || "$eie" gen --random 4096x4096 --density 0.09 --act-density 0.35 --seed 1 --pes "$bpes" --fifo-depth "$bfifo" --no-events -q -o "$out/alex7"
rtl1_s=$(best_of 3 "$eie" "$out/alex7" --engine rtl)
rtl1_cycles=$(jnum "$out/last.json" cycles)
echo "== C model on the same layer (eie run, best of 5) =="
cm_s=$(best_of 5 "$eie" "$out/alex7" --engine cmodel)

echo "== Verilated RTL, $bpes PEs, 2 threads (separate build; its build time is measured; best of 3) =="
t0=$(date +%s.%N)
cmake -S "$root" -B "$out/build-mt" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEIE_RTL_VARIANTS="$bname $bpes $bfifo" \
  -DEIE_RTL_THREADS=2 >/dev/null
cmake --build "$out/build-mt" -j 2 --target eie_cli >/dev/null
t1=$(date +%s.%N)
build_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
rtl2_s=$(best_of 3 "$out/build-mt/bin/eie" "$out/alex7" --engine rtl)

echo "== iverilog and Verilator on the standalone testbench, 256x256 layer on 4 PEs =="
grep -qs '"schema_version": 2' "$out/small/manifest.json" || "$eie" gen --random 256x256 --density 0.2 --act-density 0.5 --seed 2 --pes 4 --fifo-depth 2 --no-events -q -o "$out/small"
hash=$(sed -n 's/.*"param_hash": *"0x\([0-9a-f]*\)".*/\1/p' "$out/small/manifest.json")
hash=$((16#$hash))
rtl=$(sed "s|^|$root/rtl/|" "$root/rtl/rtl.f" | tr '\n' ' ')
iverilog -g2012 -o "$out/tb_iv" -s eie_tb_readmemh -P eie_tb_readmemh.NumPe=4 -P eie_tb_readmemh.FifoDepth=2 \
  -P eie_tb_readmemh.ParamHash=$hash $rtl "$root/tb/eie_tb_readmemh.sv" 2>/dev/null
verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style --top-module eie_tb_readmemh -GNumPe=4 -GFifoDepth=2 \
  -GParamHash=$hash -Mdir "$out/vtb" -j 2 $rtl "$root/tb/eie_tb_readmemh.sv" >/dev/null 2>&1
loads=$(sed -n '2p' <(grep -v '^//' "$out/small/host_counts.hex"))
nload=$((16#$(grep -v '^//' "$out/small/host_counts.hex" | head -1)))
nout=$((16#$(grep -v '^//' "$out/small/host_counts.hex" | tail -1)))
t0=$(date +%s.%N); vvp -n "$out/tb_iv" +pack="$out/small" +out="$out/iv.hex" >"$out/iv.log" 2>&1; t1=$(date +%s.%N)
iv_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
t0=$(date +%s.%N); "$out/vtb/Veie_tb_readmemh" +pack="$out/small" +out="$out/vl.hex" >"$out/vl.log" 2>&1; t1=$(date +%s.%N)
vl_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
run_cycles=$(sed -n 's/.*done after \([0-9]*\) cycles.*/\1/p' "$out/iv.log")
clocks=$((3 + 2 * (nload + nout + 3) + run_cycles))

fast_s=$(jnum "$out/cmodel.json" model_seconds)
obs_s=$(jnum "$out/cmodel.json" observed_seconds)
ref_s=$(jnum "$out/cmodel.json" reference_observed_seconds)
plain_s=$(jnum "$out/cmodel.json" plain_seconds)
awk -v c="$rtl1_cycles" -v r1="$rtl1_s" -v fs="$fast_s" -v os="$obs_s" -v rs="$ref_s" -v ps="$plain_s" -v r2="$rtl2_s" -v cm="$cm_s" -v bs="$build_s" \
    -v iv="$iv_s" -v vl="$vl_s" -v clk="$clocks" 'BEGIN {
  printf "\n%-52s %14s\n", "measure", "value"
  printf "%-52s %14d\n", "paper layer: simulated cycles", c
  printf "%-52s %12.2fms (%.1fx plain CSC)\n", "C model, fast engine (eie_bench)", fs * 1e3, fs / ps
  printf "%-52s %12.2fms (%.1fx fast engine; target <= 10x)\n", "C model, fast engine with an event observer", os * 1e3, os / fs
  printf "%-52s %12.2fms (%.1fx fast engine)\n", "C model, reference with an event observer", rs * 1e3, rs / fs
  printf "%-52s %14.0f\n", "C model: cycles/s (eie run --engine cmodel)", c / cm
  printf "%-52s %14.0f\n", "Verilated RTL, 1 thread: cycles/s", c / r1
  printf "%-52s %14.0f\n", "Verilated RTL, 2 threads: cycles/s", c / r2
  printf "%-52s %13.1fx (target >= 50x)\n", "C model / Verilated RTL (1 thread)", r1 / cm
  printf "%-52s %13.1fs\n", "Verilator build of the 64-PE RTL (2 threads)", bs
  printf "%-52s %14.0f\n", "standalone TB, 4 PEs: iverilog clocks/s", clk / iv
  printf "%-52s %14.0f\n", "standalone TB, 4 PEs: Verilator clocks/s", clk / vl
  printf "%-52s %13.1fx (target >= 10x)\n", "Verilator / iverilog", iv / vl
}' | tee "$out/summary.txt"

# ---- eie_batch: the C model on a data set, many runs of one program ---------------
# Needs `make fashion-mnist` (its pack and test images in $build/fashion_mnist). Every
# image is checked against the functional reference; best of 3 runs of all 10,000
# images on eie_batch's default jobs (one per processor); images/s by wall time and by
# CPU time of all jobs (the machine may be shared).
fm=$build/fashion_mnist
row="eie_batch, Fashion-MNIST: images/s (C model)"
if [ -x "$build/bin/eie_batch" ] && [ -f "$fm/pack/manifest.json" ] && [ -f "$fm/net/test_images.npy" ]; then
  echo "== eie_batch on Fashion-MNIST, C model only (best of 3) =="
  ips=0 cps=0
  for _ in 1 2 3; do
    "$build/bin/eie_batch" "$fm/pack" "$fm/net/test_images.npy" "$fm/net/test_labels.npy" --rtl 0 \
      --quiet --json "$out/batch.json" >/dev/null
    ips=$(awk -v a="$ips" -v b="$(jnum "$out/batch.json" images_per_second)" 'BEGIN { print (b > a) ? b : a }')
    cps=$(awk -v a="$cps" -v b="$(jnum "$out/batch.json" images_per_cpu_second)" 'BEGIN { print (b > a) ? b : a }')
  done
  awk -v r="$row" -v w="$ips" -v c="$cps" -v j="$(jnum "$out/batch.json" jobs)" 'BEGIN {
    printf "%-52s %14.0f (%d jobs; CPU time: %.0f; target >= 10000)\n", r, w, j, c }' |
    tee -a "$out/summary.txt"
else
  printf "%-52s %14s\n" "$row" "n/a (make fashion-mnist)" | tee -a "$out/summary.txt"
fi

# ---- Per-pack overhead: eie run whole on a 1000x4096 pack, regression cases per second ----
echo
echo "== eie run whole (best of 7), soak shard and make sim: cases per second =="
"$root/scripts/bench_overhead.sh" "$build" | tee -a "$out/summary.txt"

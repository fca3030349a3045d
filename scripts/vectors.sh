#!/usr/bin/env bash
# Golden vector packs for RTL teams (make vectors): generate every pack of a
# list, then check each one three ways: `eie run` (C model: outputs and event
# streams), `eie run --engine rtl` (the Verilated RTL through the C driver), and
# the self-contained $readmemh testbench tb/eie_tb_readmemh.sv under iverilog
# and under Verilator (no C at all), which must print PASS and write outputs
# equal to expected.hex.
#
#   scripts/vectors.sh [--eie BIN] [--list FILE] [--out DIR] [--jobs N]
# Defaults: build/bin/eie, sim/tests/vectors.list, build/vectors, nproc.
# List lines: "NAME  eie-gen-arguments" (as sim/tests/*.list); '#' comments.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eie=$root/build/bin/eie
list=$root/sim/tests/vectors.list
out=$root/build/vectors
jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case $1 in
    --eie) eie=$2; shift 2 ;;
    --list) list=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "vectors.sh: unknown argument '$1'" >&2; exit 3 ;;
  esac
done
[ -x "$eie" ] || { echo "vectors.sh: $eie is not built (make build)" >&2; exit 3; }
[ -r "$list" ] || { echo "vectors.sh: $list: cannot read the list" >&2; exit 3; }
for tool in iverilog vvp verilator; do
  command -v $tool >/dev/null || { echo "vectors.sh: $tool not found (make deps)" >&2; exit 3; }
done
mkdir -p "$out"
rtl=$(sed "s|^|$root/rtl/|" "$root/rtl/rtl.f" | tr '\n' ' ')
tb=$root/tb/eie_tb_readmemh.sv

mapfile -t entries < <(grep -v '^[[:space:]]*\(#\|$\)' "$list")
n=${#entries[@]}
echo "vectors: $n packs from $list into $out"

# 1. Generate (in parallel).
i=0
for e in "${entries[@]}"; do
  read -r name args <<<"$e"
  i=$((i + 1))
  (
    # shellcheck disable=SC2086
    if "$eie" gen $args -q -o "$out/$name" >"$out/$name.gen.log" 2>&1; then echo "  [$i/$n] generated $name"
    else echo "  [$i/$n] FAIL gen $name: $(tail -n 1 "$out/$name.gen.log")"; fi
  ) &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
done
wait

# 2. One standalone-testbench build per configuration and simulator.
declare -A built
tb_build() {  # pes fifo hash -> sets tb_dir
  local pes=$1 fifo=$2 hash=$3
  tb_dir=$out/tb_${pes}pe_fifo${fifo}_$hash
  [ -n "${built[$tb_dir]:-}" ] && return 0
  mkdir -p "$tb_dir"
  echo "  building the \$readmemh testbench for $pes PEs, FIFO $fifo (iverilog, Verilator)"
  iverilog -g2012 -o "$tb_dir/tb_iverilog" -s eie_tb_readmemh -P eie_tb_readmemh.NumPe="$pes" \
    -P eie_tb_readmemh.FifoDepth="$fifo" -P eie_tb_readmemh.ParamHash=$((16#$hash)) $rtl "$tb" \
    >"$tb_dir/iverilog.log" 2>&1 || { tail -5 "$tb_dir/iverilog.log"; return 1; }
  verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style --top-module eie_tb_readmemh \
    -GNumPe="$pes" -GFifoDepth="$fifo" -GParamHash=$((16#$hash)) -Mdir "$tb_dir/vbuild" -j "$jobs" \
    $rtl "$tb" >"$tb_dir/verilator.log" 2>&1 || { tail -5 "$tb_dir/verilator.log"; return 1; }
  built[$tb_dir]=1
}

# 3. Check every pack.
fails=0
printf '%-28s %-10s %-8s %-8s %-8s %-8s\n' pack config cmodel rtl iverilog verilator
for e in "${entries[@]}"; do
  read -r name _ <<<"$e"
  pack=$out/$name
  res=()
  if [ ! -f "$pack/manifest.json" ]; then
    printf '%-28s %s\n' "$name" "FAIL: not generated ($out/$name.gen.log)"
    fails=$((fails + 1))
    continue
  fi
  pes=$(sed -n 's/.*"NUM_PE": *\([0-9]*\).*/\1/p' "$pack/manifest.json")
  fifo=$(sed -n 's/.*"FIFO_DEPTH": *\([0-9]*\).*/\1/p' "$pack/manifest.json")
  hash=$(sed -n 's/.*"param_hash": *"0x\([0-9a-f]*\)".*/\1/p' "$pack/manifest.json")
  "$eie" run "$pack" >"$pack.cmodel.log" 2>&1 && res+=(pass) || res+=(FAIL)
  "$eie" run "$pack" --engine rtl >"$pack.rtl.log" 2>&1 && res+=(pass) || res+=(FAIL)
  if tb_build "$pes" "$fifo" "$hash"; then
    for sim in iverilog verilator; do
      o=$pack.$sim.hex
      if [ $sim = iverilog ]; then log=$(vvp -n "$tb_dir/tb_iverilog" +pack="$pack" +out="$o" 2>&1)
      else log=$("$tb_dir/vbuild/Veie_tb_readmemh" +pack="$pack" +out="$o" 2>&1); fi
      printf '%s\n' "$log" >"$pack.$sim.log"
      if printf '%s' "$log" | grep -q "EIE-TB PASS" && diff -q <(grep -v '^//' "$pack/expected.hex") "$o" >/dev/null
      then res+=(pass); else res+=(FAIL); fi
    done
  else
    res+=(FAIL FAIL)
  fi
  printf '%-28s %-10s %-8s %-8s %-8s %-8s\n' "$name" "${pes}/${fifo}" "${res[@]}"
  for r in "${res[@]}"; do [ "$r" = pass ] || { fails=$((fails + 1)); break; }; done
done
if [ $fails -eq 0 ]; then
  echo "vectors: all $n packs pass on the C model, the Verilated RTL, and the standalone testbench (iverilog, Verilator)"
  echo "packs: $out/<name>/ (docs/formats.md)"
  exit 0
fi
echo "vectors: $fails of $n packs FAILED; logs: $out/<name>.{gen,cmodel,rtl,iverilog,verilator}.log"
exit 1

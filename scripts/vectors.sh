#!/usr/bin/env bash
# Golden vector packs for RTL teams (make vectors): generate every pack of a
# list, then check each one three ways: `eie run` (C model: outputs and event
# streams), `eie run --engine rtl` (the Verilated RTL through the C driver), and
# the standalone testbench tb/eie_tb_readmemh.sv (scripts/tb.sh) under iverilog and
# Verilator (no C at all), with bus loading and with the backdoor preload: it must
# pass (parameter hash, event streams, outputs) and write outputs equal to expected.hex.
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

# 2. Check every pack: the C model, the Verilated RTL, and the standalone testbench
# (scripts/tb.sh: parameter hash, event streams, outputs) under iverilog and Verilator, with
# bus loading and with the backdoor preload (one cached testbench build per configuration).
build=$(cd "$(dirname "$eie")/.." && pwd)
fails=0
printf '%-28s %-7s %-7s %-7s %-17s %-17s\n' pack config cmodel rtl "iverilog bus/pre" "verilator bus/pre"
for e in "${entries[@]}"; do
  read -r name _ <<<"$e"
  pack=$out/$name
  res=()
  if [ ! -f "$pack/manifest.json" ]; then
    printf '%-28s %s\n' "$name" "FAIL: not generated ($out/$name.gen.log)"
    fails=$((fails + 1))
    continue
  fi
  cfg=$(sed -n 's/.*"NUM_PE": *\([0-9]*\).*/\1/p' "$pack/manifest.json")/$(sed -n 's/.*"FIFO_DEPTH": *\([0-9]*\).*/\1/p' "$pack/manifest.json")
  "$eie" run "$pack" >"$pack.cmodel.log" 2>&1 && res+=(pass) || res+=(FAIL)
  "$eie" run "$pack" --engine rtl >"$pack.rtl.log" 2>&1 && res+=(pass) || res+=(FAIL)
  tbres=()
  for sim in iverilog verilator; do
    r=""
    for mode in bus preload; do
      flag=()
      [ $mode = preload ] && flag=(--preload)
      log=$pack.$sim.$mode.log
      "$root/scripts/tb.sh" --build "$build" --eie "$eie" --pack "$pack" --sim $sim "${flag[@]}" \
        --work "$out/tb-work/$name.$sim.$mode" >"$log" 2>&1
      rc=$?
      t=$(sed -n 's/^tb: [A-Z]* .* in \([0-9.]*\) s.*/\1/p' "$log" | tail -n 1)
      if [ $rc -eq 0 ] && diff -q <(grep -v '^//' "$pack/expected.hex") "$out/tb-work/$name.$sim.$mode/rtl_output.hex" >/dev/null
      then r+="${t}s/"; else r+="FAIL($rc)/"; res+=(FAIL); fi
    done
    tbres+=("${r%/}")
  done
  printf '%-28s %-7s %-7s %-7s %-17s %-17s\n' "$name" "$cfg" "${res[0]}" "${res[1]}" "${tbres[@]}"
  for r in "${res[@]}"; do [ "$r" = pass ] || { fails=$((fails + 1)); break; }; done
done
if [ $fails -eq 0 ]; then
  echo "vectors: all $n packs pass on the C model, the Verilated RTL, and the standalone testbench (iverilog, Verilator; bus loading and preload; times are the runs)"
  echo "packs: $out/<name>/ (docs/formats.md)"
  exit 0
fi
echo "vectors: $fails of $n packs FAILED; logs: $out/<name>.{gen,cmodel,rtl}.log, $out/<name>.{iverilog,verilator}.{bus,preload}.log"
exit 1

#!/usr/bin/env bash
# The standalone testbench (tb/eie_tb_readmemh.sv) on one vector pack, under iverilog or Verilator
# (make tb PACK=DIR [SIM=iverilog|verilator] [RTL=small|medium|paper] [PRELOAD=1] [WAVES=1]).
#
#   scripts/tb.sh --pack DIR [--sim iverilog|verilator] [--rtl small|medium|paper] [--preload]
#                 [--waves] [--no-events] [--define NAME[=V]]... [--plusarg +ARG]... [--work DIR]
#                 [--build DIR] [--eie BIN]
#
# --rtl NAME   build the RTL configuration NAME (a "build" line of rtl/eie_configs.txt: small = 4 PEs
#              FIFO 2, medium = 16 PEs FIFO 8, paper = 64 PEs FIFO 8, the paper's memories): a pack
#              made for other parameters fails on the parameter hash. Without it: the pack's own
#              configuration (its manifest.json).
# --preload    the SRAMs start from the pack's pe<k>_*.hex images ($readmemh through eie_top's
#              InitDir); only the register writes go over the bus. Default: every write over the bus.
# --waves      write an FST of the run (WORK/tb.fst).
# --define     a Verilog define for the build (the negative tests' fault injection, EIE_TB_OUTPUTS_ONLY).
# --plusarg    passed to the simulation (e.g. +max_cycles=N, +no_events).
# --work DIR   where rtl_output.hex, tb.log (and tb.fst) go (default BUILD/tb-work/<pack>_<sim>[_preload]);
#              the pack is only read.
# --build DIR  the CMake build tree: its bin/eie computes parameter hashes, testbench builds are
#              cached in DIR/tb-builds/ (default: build).
# Exit: 0 pass, 1 fail (parameter hash, outputs, events, X), 2 no DONE (timeout), 3 bad input or setup.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pack="" sim=iverilog rtl_name="" preload=0 waves=0 no_events=0 work="" build=$root/build eie=""
defines=() extra=()
die() { echo "tb.sh: $*" >&2; exit 3; }
while [ $# -gt 0 ]; do
  case $1 in
    --pack) pack=${2:-}; shift 2 ;;
    --sim) sim=${2:-}; shift 2 ;;
    --rtl) rtl_name=${2:-}; shift 2 ;;
    --preload) preload=1; shift ;;
    --waves) waves=1; shift ;;
    --no-events) no_events=1; shift ;;
    --define) defines+=("${2:-}"); shift 2 ;;
    --plusarg) extra+=("${2:-}"); shift 2 ;;
    --work) work=${2:-}; shift 2 ;;
    --build) build=${2:-}; shift 2 ;;
    --eie) eie=${2:-}; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ -n "$pack" ] || die "give --pack DIR (make tb PACK=DIR)"
[ -d "$pack" ] || die "$pack: no such folder"
pack=$(cd "$pack" && pwd)
[ -f "$pack/manifest.json" ] || die "$pack: no manifest.json (not a vector pack)"
grep -q '\.hex"' "$pack/manifest.json" ||
  die "$pack: no \$readmemh images (made with eie gen --no-hex): make it again without --no-hex"
[ -f "$pack/param_hash.hex" ] || die "$pack: no param_hash.hex (written by eie gen since the pack format carries it: regenerate the pack)"
build=$(mkdir -p "$build" && cd "$build" && pwd)
[ -n "$eie" ] || eie=$build/bin/eie
[ -x "$eie" ] || die "$eie is not built (make build)"
case $sim in
  iverilog) for t in iverilog vvp; do command -v $t >/dev/null || die "$t not found (make deps)"; done ;;
  verilator) command -v verilator >/dev/null || die "verilator not found (make deps)" ;;
  *) die "--sim must be iverilog or verilator, not '$sim'" ;;
esac

# The configuration to build, and the hash the RTL reports for it.
if [ -z "$rtl_name" ]; then
  cfg_args=(--config "$pack/manifest.json")
else
  built=$("$root/scripts/configs.sh" names build)
  case "|$built|" in
    *"|$rtl_name|"*) read -r _ pes fifo < <("$root/scripts/configs.sh" get "$rtl_name")
                     cfg_args=(--pes "$pes" --fifo-depth "$fifo") ;;
    *) die "--rtl must be one of ${built//|/, } (rtl/eie_configs.txt), not '$rtl_name'" ;;
  esac
fi
table=$("$eie" params "${cfg_args[@]}") || die "cannot read the configuration (eie params ${cfg_args[*]})"
val() { awk -v n="$1" '$1 == n { print $2 }' <<<"$table"; }
pes=$(val NUM_PE) fifo=$(val FIFO_DEPTH) spmat=$(val SPMAT_LINES) ptr=$(val PTR_DEPTH) rf=$(val RF_DEPTH)
act=$(val ACT_SRAM_DEPTH)
read -r hash_hex hash_dec < <("$eie" params "${cfg_args[@]}" --hash) || die "eie params --hash failed"
[ -n "$pes" ] && [ -n "$hash_dec" ] || die "cannot read the configuration from eie params"

# One cached build per simulator, configuration, preload and defines.
name=$(basename "$pack")
tag=${pes}pe_f${fifo}_s${spmat}_p${ptr}_r${rf}_a${act}_${hash_hex#0x}
[ $preload = 1 ] && tag+=_preload
[ $waves = 1 ] && [ $sim = verilator ] && tag+=_fst
for d in "${defines[@]}"; do tag+=_${d//[^A-Za-z0-9]/_}; done
bdir=$build/tb-builds/${sim}_$tag
mkdir -p "$bdir"
rtl_files=$(sed "s|^|$root/rtl/|" "$root/rtl/rtl.f" | tr '\n' ' ')
tb_sv=$root/tb/eie_tb_readmemh.sv
tb_main=$root/tb/eie_tb_main.cpp
preload_dir=pack  # relative: the run's working folder links it to the pack
if [ $sim = iverilog ]; then bin=$bdir/tb.vvp; else bin=$bdir/obj/Veie_tb_readmemh; fi
# (one build at a time in a folder: parallel runs of the same configuration wait for it)
exec 9>"$bdir/.lock"
command -v flock >/dev/null && flock 9
stale=0
[ -x "$bin" ] || [ -f "$bin" ] || stale=1
if [ $stale = 0 ]; then
  # shellcheck disable=SC2086
  for f in $rtl_files "$tb_sv" "$tb_main" "$0"; do [ "$f" -nt "$bin" ] && stale=1; done
fi
if [ $stale = 1 ]; then
  echo "tb: building the testbench ($sim, $pes PEs, FIFO $fifo, hash $hash_hex$([ $preload = 1 ] && echo ", preload")${defines[*]:+, ${defines[*]}}) in $bdir"
  t0=$(date +%s)
  if [ $sim = iverilog ]; then
    args=(-g2012 -o "$bin" -s eie_tb_readmemh)
    for p in NumPe="$pes" FifoDepth="$fifo" SpmatLines="$spmat" PtrDepth="$ptr" RfDepth="$rf" \
             ActSramDepth="$act" ParamHash="$hash_dec"; do args+=(-P "eie_tb_readmemh.$p"); done
    [ $preload = 1 ] && args+=(-P "eie_tb_readmemh.PreloadDir=\"$preload_dir\"")
    for d in "${defines[@]}"; do args+=(-D "$d"); done
    # shellcheck disable=SC2086
    iverilog "${args[@]}" $rtl_files "$tb_sv" >"$bdir/build.log" 2>&1 \
      || { grep -v 'sorry:' "$bdir/build.log" | tail -20 >&2; rm -f "$bin"; die "iverilog failed ($bdir/build.log)"; }
  else
    args=(--cc --exe --build --timing -Wno-fatal -Wno-lint -Wno-style --top-module eie_tb_readmemh
          -Mdir "$bdir/obj" -j 2 -GNumPe="$pes" -GFifoDepth="$fifo" -GSpmatLines="$spmat" -GPtrDepth="$ptr"
          -GRfDepth="$rf" -GActSramDepth="$act" -GParamHash="$hash_dec")
    [ $preload = 1 ] && args+=(-GPreloadDir="\"$preload_dir\"")
    [ $waves = 1 ] && args+=(--trace-fst)
    for d in "${defines[@]}"; do args+=(+define+"$d"); done
    # shellcheck disable=SC2086
    verilator "${args[@]}" $rtl_files "$tb_sv" "$tb_main" >"$bdir/build.log" 2>&1 \
      || { tail -20 "$bdir/build.log" >&2; rm -f "$bin"; die "verilator failed ($bdir/build.log)"; }
  fi
  echo "tb: built in $(( $(date +%s) - t0 )) s"
fi
exec 9>&-

# The run, in its own working folder.
[ -n "$work" ] || work=$build/tb-work/${name}_${sim}$([ $preload = 1 ] && echo _preload)
mkdir -p "$work" || die "$work: cannot create"
work=$(cd "$work" && pwd)
case "$work/" in "$pack/"*) die "the working folder $work is inside the pack: give another --work" ;; esac
rm -f "$work/rtl_output.hex" "$work/tb.log" "$work/tb.fst" "$work/pack"
plus=(+out="$work/rtl_output.hex" +test="$name")
rerun="make tb PACK=$pack SIM=$sim${rtl_name:+ RTL=$rtl_name}$([ $preload = 1 ] && echo " PRELOAD=1")${defines[*]:+ DEFINES=\"${defines[*]}\"} WAVES=1"
plus+=(+rerun="$rerun")
if [ $preload = 1 ]; then
  ln -s "$pack" "$work/pack"
  plus+=(+pack="$preload_dir")
else
  plus+=(+pack="$pack")
fi
[ $no_events = 1 ] && plus+=(+no_events)
plus+=("${extra[@]}")
[ $waves = 1 ] && plus+=(+fst="$work/tb.fst")
t0=$(date +%s.%N)
if [ $sim = iverilog ]; then
  fst=()
  [ $waves = 1 ] && fst=(-fst)
  (cd "$work" && vvp -n "$bin" "${fst[@]}" "${plus[@]}") >"$work/tb.log" 2>&1
else
  (cd "$work" && "$bin" "${plus[@]}") >"$work/tb.log" 2>&1
fi
rc=$?
secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
# The testbench's own lines (the simulators' $readmemh warnings stay in the log).
grep -E '^(EIE-TB|MISMATCH|  )|%Error|FATAL' "$work/tb.log" | grep -v '^  *Time:'
mode=$([ $preload = 1 ] && echo preload || echo bus)
if [ $rc -eq 0 ] && grep -q '^EIE-TB PASS' "$work/tb.log" && ! grep -q '^EIE-TB FAIL' "$work/tb.log"; then
  echo "tb: PASS $name ($sim, $mode, $pes PEs) in $secs s; outputs and log in $work"
  exit 0
fi
if grep -q '^EIE-TB FAIL (bad input)' "$work/tb.log"; then status=3
elif grep -q '^EIE-TB FAIL (timeout)' "$work/tb.log"; then status=2
else status=1; fi
echo "tb: FAIL $name ($sim, $mode, $pes PEs; simulator exit status $rc, exit $status) in $secs s; log: $work/tb.log"
exit $status

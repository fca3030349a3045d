#!/usr/bin/env bash
# Run a regression test or any vector pack on the RTL (in lock-step with the C
# model) with an FST trace, and write a GTKWave view from sim/<VIEW>.gtkw
# (signal ranges adapted to the configuration) that shows PE k, starts at the
# run's cycle 0 and has a marker at the start of the first diverging cycle.
# The last line printed is the command that opens it (GTKWave is started too
# when there is a display).
#
#   scripts/waves.sh --build DIR (--test NAME [--tier TIER] | --pack DIR) [--view V] [--pe K] [--out DIR]
#
# --view: ccu, pe, queues, events (default: pe when a PE diverged, else ccu).
# --pe:   the PE the view shows (default: the diverging PE, else 0).
# Output under BUILD/waves/NAME/ (NAME: the test, or the pack directory's name), or --out DIR.
# Exit: 0 when the view was written (whether or not the run matched), 3 bad input.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=build test= pack= view= pe= tier=default outdir=
usage() { echo "usage: make waves (TEST=NAME [TIER=default|full|soak] | PACK=DIR) [VIEW=ccu|pe|queues|events] [PE=k]" >&2; exit 3; }
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --test) test=$2; shift 2 ;;
    --pack) pack=$2; shift 2 ;;
    --view) view=$2; shift 2 ;;
    --pe) pe=$2; shift 2 ;;
    --tier) tier=$2; shift 2 ;;
    --out) outdir=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "waves: unknown option '$1'" >&2; usage ;;
  esac
done
[ -n "$test" ] || [ -n "$pack" ] || usage
[ -n "$test" ] && [ -n "$pack" ] && { echo "waves: give TEST=NAME or PACK=DIR, not both" >&2; exit 3; }
if [ -n "$view" ] && [ ! -f "$root/sim/$view.gtkw" ]; then
  echo "waves: no view sim/$view.gtkw (views: $(ls "$root"/sim/*.gtkw | xargs -n1 basename | sed 's/.gtkw//' | tr '\n' ' '))" >&2
  exit 3
fi
if [ -n "$pe" ] && ! [[ "$pe" =~ ^(0|[1-9][0-9]{0,2})$ ]]; then
  echo "waves: PE='$pe' is not a PE number (decimal)" >&2
  exit 3
fi
[ -x "$build/bin/eie" ] || { echo "waves: $build/bin/eie not built (make rtl RTL=$("$root/scripts/configs.sh" names build), or make build)" >&2; exit 3; }
build=$(cd "$build" && pwd)

if [ -n "$pack" ]; then
  [ -f "$pack/manifest.json" ] || { echo "waves: PACK=$pack is not a vector pack (no manifest.json)" >&2; exit 3; }
  pack=$(cd "$pack" && pwd)
  name=$(basename "$pack")
  out=${outdir:-$build/waves/$name}
  mkdir -p "$out"
  fst="$out/$name.fst"
  rm -f "$fst" "$fst.gtkw"
  rc=0
  # With event files: the RTL against them (the C model's events, as eie run --engine rtl
  # compares them); without: the RTL in lock-step with the C model.
  engine=both
  [ -f "$pack/bcast_events.txt" ] && engine=rtl
  echo "waves: eie run $pack --engine $engine --trace $fst"
  "$build/bin/eie" run "$pack" --engine "$engine" --trace "$fst" >"$out/run.log" 2>&1 || rc=$?
  cat "$out/run.log"
  [ "$rc" -le 2 ] || { echo "waves: eie run failed (exit $rc)" >&2; exit 3; }
else
  out=${outdir:-$build/waves/$test}
  rc=0
  WAVES=1 "$root/sim/regress.sh" --build "$build" --tier "$tier" --test "$test" --jobs 1 --keep --out "$out" || rc=$?
  [ "$rc" -le 1 ] || exit 3
  fst="$out/waves/$test.fst"
  # Without an RTL build for the test's configuration the run is on the C model only.
  [ -f "$fst" ] || { echo "waves: no FST written for '$test': no RTL build for its configuration in $build/bin/eie (make rtl RTL=$("$root/scripts/configs.sh" names build))" >&2; exit 3; }
fi
[ -f "$fst.gtkw" ] || { echo "waves: eie run wrote no view $fst.gtkw" >&2; exit 3; }

# The run's cycle 0 and first divergence, from the view eie run wrote beside the FST.
info=$(sed -n 's/^\[\*\] run_start_time=//p' "$fst.gtkw")
t0=${info%% *}
div_pe=$(printf '%s' "$info" | sed -n 's/.*divergence_pe=\(-\{0,1\}[0-9]*\).*/\1/p')
div_cycle=$(printf '%s' "$info" | sed -n 's/.*divergence_cycle=\([0-9]*\).*/\1/p')
marker=$(printf '%s' "$info" | sed -n 's/.*divergence_time=\([0-9]*\).*/\1/p')
if [ -z "$view" ]; then
  view=ccu
  [ -n "$div_pe" ] && [ "$div_pe" -ge 0 ] && view=pe
fi
if [ -z "$pe" ]; then
  pe=0
  [ -n "$div_pe" ] && [ "$div_pe" -ge 0 ] && pe=$div_pe
fi

# Adapt the view's vector ranges to the signals this configuration dumped (header only).
{ fst2vcd "$fst" 2>/dev/null || true; } | sed "/\$enddefinitions/q" | awk -f "$root/scripts/vcd_signals.awk" >"$out/signals.txt"
grep -q "g_pe\[$pe\]\." "$out/signals.txt" || { echo "waves: PE=$pe: this configuration has no such PE" >&2; exit 3; }
gtkw="$out/$view.pe$pe.gtkw"
{
  echo "[*] $view view of $fst: PE $pe, from cycle 0 (time $t0)$([ -n "$marker" ] && echo ", marker at the start of cycle $div_cycle (time $marker), the first divergence")"
  echo "[dumpfile] \"$fst\""
  echo "[timestart] $t0"
  [ -n "$marker" ] && echo "[markertime] $marker"
  awk -v pe="$pe" '
    NR == FNR { full = $0; base = full; sub(/\[[0-9]+:[0-9]+\]$/, "", base); map[base] = full; next }
    /^\[timestart\]/ || /^\[markertime\]/ || /^\[dumpfile\]/ || /^\[\*\]/ { next }
    /^top\./ { gsub(/g_pe\[0\]/, "g_pe[" pe "]"); base = $0; sub(/\[[0-9]+:[0-9]+\]$/, "", base)
               print (base in map) ? map[base] : $0; next }
    { print }' "$out/signals.txt" "$root/sim/$view.gtkw"
} >"$gtkw"
echo "waves: $fst"
if [ -n "$marker" ]; then
  echo "waves: first divergence at cycle $div_cycle$([ "$div_pe" -ge 0 ] && echo " in PE $div_pe"); view $view of PE $pe, marker at time $marker"
else
  echo "waves: no divergence; view $view of PE $pe from cycle 0 (time $t0)"
fi
if [ -n "${DISPLAY:-}" ] && command -v gtkwave >/dev/null; then
  nohup gtkwave "$fst" "$gtkw" >/dev/null 2>&1 &
fi
echo "gtkwave $fst $gtkw"

#!/usr/bin/env bash
# PNG plots of an `eie sweep` CSV with gnuplot:
#   OUTDIR/sweep_load_efficiency.png  load efficiency against FIFO depth, a line per PE count
#   OUTDIR/sweep_speedup.png          speedup against PE count (FIFO depths 1, 8 and the largest), and ideal
#   OUTDIR/sweep_padding.png          padding fraction against PE count
#   OUTDIR/sweep_cycles.png           cycles, work bound and balanced cycles against PE count (FIFO 8)
# Usage: scripts/plot_sweep.sh SWEEP.csv OUTDIR
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: scripts/plot_sweep.sh SWEEP.csv OUTDIR" >&2; exit 3; }
csv=$1
out=$2
command -v gnuplot >/dev/null || { echo "plot_sweep: gnuplot is not installed (scripts/install-deps.sh)" >&2; exit 3; }
head -1 "$csv" | grep -q '^layer,pes,fifo_depth,' || { echo "plot_sweep: $csv is not an eie sweep CSV" >&2; exit 3; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Split into one data file per series (columns by name, so column order may change).
awk -F, -v d="$tmp" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  {
    p = $c["pes"]; f = $c["fifo_depth"]
    print f, $c["load_efficiency"] >> (d "/eff_pe" p)
    print p, $c["speedup"] >> (d "/speedup_fifo" f)
    print p, $c["padding_fraction"] >> (d "/pad_fifo" f)
    print p, $c["cycles"], $c["work_bound"], $c["balanced_cycles"] >> (d "/cyc_fifo" f)
    pes[p] = 1; fifos[f] = 1; name = $c["layer"]
  }
  END {
    n = 0; for (p in pes) n++
    for (p in pes) printf "%s ", p > (d "/pes"); printf "\n" > (d "/pes")
    for (f in fifos) printf "%s ", f > (d "/fifos"); printf "\n" > (d "/fifos")
    print name > (d "/name")
  }' "$csv"
pes=$(tr ' ' '\n' <"$tmp/pes" | sort -n | tr '\n' ' ')
fifos=$(tr ' ' '\n' <"$tmp/fifos" | sort -n | tr '\n' ' ')
name=$(cat "$tmp/name")
fmin=$(echo $fifos | awk '{ print $1 }')
fmax=$(echo $fifos | awk '{ print $NF }')
sel=""
for f in 1 8 "$fmax"; do
  case " $fifos " in *" $f "*) case " $sel " in *" $f "*) ;; *) sel="$sel $f" ;; esac ;; esac
done
fcyc=$(case " $fifos " in *" 8 "*) echo 8 ;; *) echo "$fmax" ;; esac)
pmax=$(echo $pes | awk '{ print $NF }')

term="pngcairo size 800,560 font 'sans,11'"
gnuplot -e "set terminal pngcairo" >/dev/null 2>&1 || term="png size 800,560"
for p in $pes; do sort -n "$tmp/eff_pe$p" -o "$tmp/eff_pe$p"; done
for f in $fifos; do
  for s in speedup pad cyc; do sort -n "$tmp/${s}_fifo$f" -o "$tmp/${s}_fifo$f"; done
done

gnuplot <<EOF
set terminal $term
set datafile separator whitespace
set grid
set key outside right top
set logscale x 2

set output "$out/sweep_load_efficiency.png"
set title "$name: load efficiency against FIFO depth"
set xlabel "FIFO depth (entries)"
set ylabel "load efficiency"
set yrange [0:1.02]
plot for [p in "$pes"] "$tmp/eff_pe".p using 1:2 with linespoints title p." PEs"

set output "$out/sweep_speedup.png"
set title "$name: speedup against PE count (relative to the first PE count)"
set xlabel "PEs"
set ylabel "speedup"
set logscale y 2
set yrange [*:*]
plot for [f in "$sel"] "$tmp/speedup_fifo".f using 1:2 with linespoints title "FIFO ".f, \
     x with lines dashtype 2 lc rgb "gray" title "ideal"
unset logscale y

set output "$out/sweep_padding.png"
set title "$name: padding entries against PE count"
set ylabel "padding / entries streamed"
set yrange [0:*]
plot "$tmp/pad_fifo$fmin" using 1:2 with linespoints title "padding fraction"

set output "$out/sweep_cycles.png"
set title "$name: cycles against PE count (FIFO $fcyc)"
set ylabel "cycles"
set logscale y 10
set yrange [*:*]
plot "$tmp/cyc_fifo$fcyc" using 1:2 with linespoints title "cycles", \
     "" using 1:3 with linespoints title "work bound (max PE)", \
     "" using 1:4 with linespoints title "balanced (total / N)"
EOF
echo "plot_sweep: $out/sweep_load_efficiency.png sweep_speedup.png sweep_padding.png sweep_cycles.png" >&2

#!/usr/bin/env bash
# eie sweep: the CSV (header, one row per point, sane values), packs and random
# layers, row tiles, progress lines, and one-line errors with exit 3.
set -u
. "$(dirname "$0")/lib.bash"
hdr="layer,pes,fifo_depth,tiles,tile_rows,cycles,latency_us,run_cycles,stall_cycles,work_bound,balanced_cycles,load_efficiency,padding_fraction,speedup,macs,entries,padding,broadcasts,energy_nj,spmat_lines,ptr_depth,act_sram_depth,acc_saturations,out_saturations"
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

expect 0 "usage: eie sweep" -- "$EIE" sweep --help
expect 0 "sweep +run a layer over PE counts" -- "$EIE" --help

# A small sweep: 3 PE counts x 2 FIFO depths, progress on stderr, CSV in the file.
expect 0 "eie sweep: \[6/6\] 64x48, 4 PEs, FIFO 8: [0-9]+ cycles" -- \
  "$EIE" sweep --random 64x48 --density 0.3 --act-density 0.5 --seed 2 --pes 4,1,2 --fifo-depth 8,1 -o "$T/s.csv"
[ "$(head -1 "$T/s.csv")" = "$hdr" ] || fail "CSV header: $(head -1 "$T/s.csv")"
[ "$(wc -l <"$T/s.csv")" -eq 7 ] || fail "CSV has $(wc -l <"$T/s.csv") lines, want 7"
# Rows in order (PE counts sorted, FIFO depths sorted), values sane.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  {
    p = $c["pes"]; f = $c["fifo_depth"]; e = $c["load_efficiency"] + 0; s = $c["speedup"] + 0
    want_p = NR <= 3 ? 1 : NR <= 5 ? 2 : 4; want_f = NR % 2 ? 8 : 1
    if ($c["layer"] != "64x48") bad = bad " layer=" $c["layer"]
    if (p != want_p || f != want_f) bad = bad sprintf(" row %d is (%s, %s)", NR, p, f)
    if (!(e > 0 && e <= 1)) bad = bad " load_efficiency=" e
    if (p == 1 && s != 1) bad = bad " speedup at 1 PE=" s
    if (p > 1 && !(s > 1)) bad = bad sprintf(" speedup at %d PEs=%s", p, s)
    if ($c["cycles"] + 0 < $c["work_bound"] + 0 || $c["work_bound"] + 0 < $c["balanced_cycles"] + 0)
      bad = bad " cycles<work_bound<balanced"
    if (!($c["padding_fraction"] >= 0 && $c["padding_fraction"] < 1)) bad = bad " padding=" $c["padding_fraction"]
    if ($c["tiles"] < 1 || $c["macs"] + 0 <= 0) bad = bad " tiles/macs"
    if ($c["acc_saturations"] != "0" || $c["out_saturations"] != "0") bad = bad " saturations"
    if (NR > 2 && $c["macs"] != macs) bad = bad " macs differ"
    macs = $c["macs"]
  }
  END { if (bad != "") { print bad; exit 1 } }' "$T/s.csv" || fail "CSV values"

# Without -o the CSV goes to stdout; -q: no progress.
out=$("$EIE" sweep --random 20x20 --pes 2 --fifo-depth 2 -q 2>"$T/err")
[ "$(printf '%s\n' "$out" | head -1)" = "$hdr" ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || fail "stdout CSV: $out"
[ ! -s "$T/err" ] || fail "-q printed: $(cat "$T/err")"

# A pack: at the pack's own configuration the sweep gives the cycles eie gen recorded.
"$EIE" gen --random 40x30 --density 0.3 --pes 4 --fifo-depth 3 --seed 7 -q -o "$T/pk"
"$EIE" sweep "$T/pk/" --pes 4 --fifo-depth 3 --memories fixed -q -o "$T/pk.csv"
want=$(sed -n 's/.*"cycles": *\([0-9]*\).*/\1/p' "$T/pk/stats.json")
got=$(awk -F, 'NR == 2 { print $1 " " $6 }' "$T/pk.csv")
[ "$got" = "pk $want" ] || fail "pack sweep gives '$got', stats.json cycles $want"

# More than 65535 entries on one PE: row tiles, outputs still checked.
"$EIE" sweep --random 400x300 --density 0.6 --pes 1 --fifo-depth 4 --memories fixed -q -o "$T/t.csv"
awk -F, 'NR == 2 && $4 >= 2 && $5 < 400 { ok = 1 } END { exit !ok }' "$T/t.csv" || fail "tiles: $(tail -1 "$T/t.csv")"

# Mistakes: exit 3, one line.
bad() {
  local pat=$1; shift
  expect 3 "$pat" -- "$EIE" sweep "$@"
  local n; n=$("$EIE" sweep "$@" 2>&1 | wc -l)
  [ "$n" -eq 1 ] || fail "eie sweep $* printed $n lines, want 1"
}
bad "give a pack directory or --random MxK" --pes 4
bad "give a pack directory or --random MxK" "$T/pk" --random 4x4
bad "--pes '0' is not a comma-separated list of integers in 1..256" --random 4x4 --pes 0
bad "--pes '1,x' is not a comma-separated list" --random 4x4 --pes 1,x
bad "--pes '1,,2' is not a comma-separated list" --random 4x4 --pes 1,,2
bad "--fifo-depth '300' is not a comma-separated list of integers in 1..256" --random 4x4 --fifo-depth 300
bad "--memories 'big' is not fit or fixed" --random 4x4 --memories big
bad "--random '4by4' is not MxK" --random 4by4
bad "--density '2' is not a number in \[0, 1\]" --random 4x4 --density 2
bad "--seed '-1' is not a non-negative integer" --random 4x4 --seed -1
bad "unknown parameter 'BOGUS'" --random 4x4 --param BOGUS=1
bad "give PE counts and FIFO depths with --pes and --fifo-depth" --random 4x4 --param NUM_PE=4
bad "--name 'a,b' must not contain commas" --random 4x4 --name a,b
bad "--density, --act-density and --seed go with --random" "$T/pk" --density 0.5
bad "unexpected argument 'extra'" "$T/pk" extra
bad "manifest.json: cannot open" "$T/none"
bad "dir.csv: cannot create: No such file" --random 4x4 --pes 1 --fifo-depth 1 -o "$T/no/such/dir.csv"
bad "see 'eie sweep --help'" --random 4x4 --bogus
bad "1 PEs: the network needs .* activation words .*--memories fit" --random 8x4096 --pes 1 --memories fixed
"$EIE" gen --random-net 30,20,10 --pes 2 -q -o "$T/net"
bad "the pack has 2 layers; sweep takes a single-layer pack" "$T/net"
finish

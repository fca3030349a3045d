#!/usr/bin/env bash
# eie gen writes a pack that eie run accepts; tampering is detected.
set -u
. "$(dirname "$0")/lib.bash"
expect 0 "100x80 layer" -- "$EIE" gen --random 100x80 --density 0.2 --pes 5 --fifo-depth 3 --seed 4 -o "$T/p"
for f in manifest.json input.npy codebook.npy expected.npy stats.json pe0_ptr.npy pe0_v.npy pe0_z.npy \
         pe4_spmat.hex pe4_ptr_even.hex pe4_ptr_odd.hex pe4_act.hex; do
  [ -f "$T/p/$f" ] || { echo "FAIL: missing $f"; fails=$((fails + 1)); }
done
grep -q '"cycles"' "$T/p/stats.json" && grep -q '"load_efficiency"' "$T/p/stats.json" || { echo "FAIL: stats.json fields"; fails=$((fails+1)); }
expect 0 '"match":true' -- "$EIE" run "$T/p" --json
expect 0 '"sim_seconds"' -- "$EIE" run "$T/p" --json
expect 0 "on cmodel: match" -- "$EIE" run "$T/p" --engine cmodel
expect 3 "engine .verilog. is not available" -- "$EIE" run "$T/p" --engine verilog
# The same seed gives the same pack.
"$EIE" gen --random 100x80 --density 0.2 --pes 5 --fifo-depth 3 --seed 4 -q -o "$T/p2"
cmp -s "$T/p/pe3_spmat.hex" "$T/p2/pe3_spmat.hex" && cmp -s "$T/p/expected.npy" "$T/p2/expected.npy" \
  || { echo "FAIL: not deterministic"; fails=$((fails + 1)); }
# Change one expected output and its hash: a real mismatch, exit 1.
cp -r "$T/p" "$T/m"
$PY - "$T/m" <<'PY'
import hashlib, json, sys
import numpy as np
d = sys.argv[1]
e = np.load(d + "/expected.npy"); e[3] += 1; np.save(d + "/expected.npy", e)
m = json.load(open(d + "/manifest.json"))
m["files"]["expected.npy"]["sha256"] = hashlib.sha256(open(d + "/expected.npy", "rb").read()).hexdigest()
json.dump(m, open(d + "/manifest.json", "w"), indent=2)
PY
expect 1 "MISMATCH pack=.* output=3" -- "$EIE" run "$T/m"
# Change a file without its hash: bad input, exit 3, the file named.
printf 'x' >>"$T/p2/pe2_v.npy"
expect 3 "pe2_v.npy: sha256" -- "$EIE" run "$T/p2"
# A random multi-layer network: three layers in the manifest, ping-pong placement.
expect 0 "120x200, 80x120, 10x80 layers" -- "$EIE" gen --random-net 200,120,80,10 --density 0.2 --pes 4 -o "$T/net"
expect 0 "match" -- "$EIE" run "$T/net"
grep -q '"num_layers": 3' "$T/net/manifest.json" || { echo "FAIL: num_layers"; fails=$((fails + 1)); }
expect 3 "is not 2..17 widths" -- "$EIE" gen --random-net 200,x,10 -o "$T/x"
# A failing gen leaves nothing behind.
expect 3 "needs 2001 pointers per PE but PTR_DEPTH is 1024" -- "$EIE" gen --random 50x2000 --density 0.5 --pes 4 --param PTR_DEPTH=1024 -o "$T/nothing"
[ ! -e "$T/nothing" ] && ! ls "$T" | grep -q "nothing.tmp" || { echo "FAIL: half-written pack left"; fails=$((fails + 1)); }
finish

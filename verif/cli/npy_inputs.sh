#!/usr/bin/env bash
# eie gen from .npy files: float32, float64, int16, with a bias; bad files refused.
set -u
. "$(dirname "$0")/lib.bash"
$PY - "$T" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
r = np.random.default_rng(5)
w = r.normal(0, 0.1, (40, 30))
a = np.maximum(r.normal(0, 1, 30), 0)
np.save(d + "/w32.npy", w.astype(np.float32)); np.save(d + "/w64.npy", w)
np.save(d + "/a.npy", a.astype(np.float32)); np.save(d + "/b.npy", r.normal(0, 0.1, 40))
np.save(d + "/wq.npy", np.round(w * 2**14).astype(np.int16))
np.save(d + "/wq_float.npy", np.round(w * 2**14) / 2**14)   # the same values as float
np.save(d + "/aq.npy", np.round(a * 2**8).astype(np.int16))
np.save(d + "/a_short.npy", a[:20].astype(np.float32))
np.save(d + "/w3d.npy", np.zeros((2, 3, 4), np.float32))
np.save(d + "/wbool.npy", np.zeros((4, 4), bool))
np.save(d + "/wbig.npy", np.zeros((4, 4), ">f4"))
np.save(d + "/wf.npy", np.asfortranarray(w))
wn = w.copy(); wn[1, 2] = np.nan; np.save(d + "/wnan.npy", wn)
shared = np.where(r.random((40, 30)) < 0.3, r.choice([-0.5, 0.25, 0.75], (40, 30)), 0.0)
np.save(d + "/wshared.npy", shared)
PY
expect 0 "40x30 layer" -- "$EIE" gen --weights "$T/w32.npy" --input "$T/a.npy" --density 0.3 --pes 4 -o "$T/p32"
expect 0 "match" -- "$EIE" run "$T/p32"
expect 0 "40x30 layer" -- "$EIE" gen --weights "$T/w64.npy" --input "$T/a.npy" --bias "$T/b.npy" --no-relu --pes 3 -o "$T/p64"
expect 0 "match" -- "$EIE" run "$T/p64"
expect 0 "40x30 layer" -- "$EIE" gen --weights "$T/wq.npy" --input "$T/aq.npy" --density 0.2 --pes 2 -o "$T/pq"
expect 0 "match" -- "$EIE" run "$T/pq"
# int16 weights are Q14: the same pack as their float values.
expect 0 "40x30 layer" -- "$EIE" gen --weights "$T/wq_float.npy" --input "$T/aq.npy" --density 0.2 --pes 2 -o "$T/pqf"
same_pack() {
  for f in codebook.npy expected.npy input.npy; do
    cmp -s "$1/$f" "$2/$f" || { echo "FAIL: $1/$f differs from $2/$f"; fails=$((fails + 1)); }
  done
}
same_pack "$T/pq" "$T/pqf"
# A Fortran-ordered array (np.asfortranarray, np.save(W.T)) is the same matrix.
expect 0 "40x30 layer" -- "$EIE" gen --weights "$T/wf.npy" --input "$T/a.npy" --bias "$T/b.npy" --no-relu --pes 3 -o "$T/pf"
same_pack "$T/pf" "$T/p64"
# A layer already weight-shared elsewhere keeps exactly its values.
expect 0 "40x30 layer" -- "$EIE" gen --weights "$T/wshared.npy" --input "$T/a.npy" --pes 4 -o "$T/ps"
$PY - "$T/ps" <<'PY' || fails=$((fails + 1))
import sys
import numpy as np
import json
cb = np.load(sys.argv[1] + "/codebook.npy")[0]
wf = json.load(open(sys.argv[1] + "/manifest.json"))["layers"][0]["w_frac"]
vals = sorted(set((cb[1:4] / 2.0**wf).tolist()))
assert vals == [-0.5, 0.25, 0.75], (vals, wf)
assert (cb[4:] == 0).all(), cb
print("ok: shared weights kept exactly")
PY
expect 3 "a_short.npy: input must be 1-D of 30" -- "$EIE" gen --weights "$T/w32.npy" --input "$T/a_short.npy" -o "$T/x"
expect 3 "w3d.npy: weights must be 2-D" -- "$EIE" gen --weights "$T/w3d.npy" --input "$T/a.npy" -o "$T/x"
expect 3 "wbool.npy: unsupported dtype" -- "$EIE" gen --weights "$T/wbool.npy" --input "$T/a.npy" -o "$T/x"
expect 3 "wbig.npy: .*big-endian" -- "$EIE" gen --weights "$T/wbig.npy" --input "$T/a.npy" -o "$T/x"
expect 3 "wnan.npy: weight \(1, 2\) is not finite" -- "$EIE" gen --weights "$T/wnan.npy" --input "$T/a.npy" -o "$T/x"
expect 3 "missing.npy: cannot open" -- "$EIE" gen --weights "$T/missing.npy" --input "$T/a.npy" -o "$T/x"
printf 'not numpy' >"$T/junk.npy"
expect 3 "junk.npy: not a .npy file" -- "$EIE" gen --weights "$T/junk.npy" --input "$T/a.npy" -o "$T/x"
[ ! -e "$T/x" ] || { echo "FAIL: output written on error"; fails=$((fails + 1)); }
finish

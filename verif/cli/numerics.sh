#!/usr/bin/env bash
# eie gen's numerics: ordinary float layers whose 16-bit formats used to
# overflow the 32-bit accumulator now compute their exact result (no
# saturation, error against float reported); forced formats that overflow are
# counted and warned, and refused under --strict; --calibrate; edge values.
set -u
. "$(dirname "$0")/lib.bash"
$PY - "$T" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
r = np.random.default_rng(11)
# (name, out, in, weight density, input density): weights in +-0.93, inputs in 0..1.
for name, m, k, wd, ad in [("dense", 48, 40, 1.0, 1.0), ("wide", 1000, 512, 0.25, 0.4),
                           ("odd", 257, 300, 0.05, 1.0), ("long", 37, 1024, 0.08, 1.0),
                           ("three", 3, 500, 0.3, 1.0)]:
    w = r.uniform(-0.93, 0.93, (m, k)) * (r.random((m, k)) < wd)
    a = r.uniform(0, 1, k) * (r.random(k) < ad)
    np.save(f"{d}/{name}_w.npy", w)
    np.save(f"{d}/{name}_a.npy", a)
np.save(d + "/calib.npy", r.uniform(0, 1, (20, 40)))
np.save(d + "/calib_bad.npy", r.uniform(0, 1, (20, 41)))
np.save(d + "/huge_w.npy", np.full((4, 40), 1e300))
np.save(d + "/tiny_w.npy", np.full((4, 40), 1e-310))
np.save(d + "/big_a.npy", np.full(40, 1e6))
PY

# The stats of pack $1: each layer's and the run's saturations must be 0, the
# peak below the limit, the relative error against the pruned, shared float small.
exact_pack() {
  $PY - "$1" <<'PY' || { echo "FAIL: $1 numerics"; fails=$((fails + 1)); }
import json, sys
s = json.load(open(sys.argv[1] + "/stats.json"))
n = s["numerics"]
assert s["acc_saturations"] == 0 and s["out_saturations"] == 0, s
for l in n["layers"]:
    assert l["acc_saturations"] == 0 and l["out_saturations"] == 0, l
    assert l["acc_peak"] < l["acc_limit"], l
    assert l["vs_shared"]["rel_l2"] < 1e-3, l
print("ok:", sys.argv[1], "dropped", [(l["dropped_weight_bits"], l["dropped_input_bits"]) for l in n["layers"]],
      "rel L2 vs float", n["network"]["vs_float"]["rel_l2"])
PY
}

for c in "dense 4" "wide 64" "odd 16" "long 4" "three 3"; do
  set -- $c
  expect 0 "saturations: 0 accumulator, 0 output" -- \
    "$EIE" gen --weights "$T/$1_w.npy" --input "$T/$1_a.npy" --pes "$2" --no-relu --no-events -o "$T/p_$1"
  exact_pack "$T/p_$1"
done
expect 0 "match" -- "$EIE" run "$T/p_dense"

# Forced formats that overflow: kept, counted, warned; --strict writes nothing.
expect 0 "warning: layer 0: [1-9][0-9]* accumulator and [0-9]+ output saturations" -- \
  "$EIE" gen --weights "$T/dense_w.npy" --input "$T/dense_a.npy" --pes 4 --no-relu \
  --weight-frac 15 --input-frac 15 -o "$T/p_forced"
$PY - "$T/p_forced" <<'PY' || { echo "FAIL: forced stats"; fails=$((fails + 1)); }
import json, sys
s = json.load(open(sys.argv[1] + "/stats.json"))
assert s["acc_saturations"] > 0 and s["layer_saturations"][0]["acc_saturations"] == s["acc_saturations"], s
assert s["numerics"]["layers"][0]["forced"] is True
print("ok: forced formats counted", s["acc_saturations"])
PY
expect 0 "saturations: [1-9][0-9]* accumulator" -- "$EIE" run "$T/p_forced"   # saturating, and the model and its pack agree
expect 0 '"acc_saturations":[1-9]' -- "$EIE" run "$T/p_forced" --json
for pat in "error: layer 0: [1-9][0-9]* accumulator" "saturation with --strict: nothing written"; do
  expect 3 "$pat" -- "$EIE" gen --weights "$T/dense_w.npy" --input "$T/dense_a.npy" --pes 4 --no-relu \
    --weight-frac 15 --input-frac 15 --strict -o "$T/p_strict"
done
[ ! -e "$T/p_strict" ] || { echo "FAIL: --strict wrote a pack"; fails=$((fails + 1)); }
expect 0 "saturations: 0 accumulator" -- \
  "$EIE" gen --weights "$T/dense_w.npy" --input "$T/dense_a.npy" --pes 4 --no-relu --strict -o "$T/p_strict"

# Calibration inputs: all of them held; the run input stays the pack's.
expect 0 "calibrated on 21 inputs" -- "$EIE" gen --weights "$T/dense_w.npy" --input "$T/dense_a.npy" \
  --calibrate "$T/calib.npy" --pes 4 --no-relu --headroom 2 -o "$T/p_cal"
$PY - "$T/p_cal" "$T/p_dense" <<'PY' || { echo "FAIL: calibration"; fails=$((fails + 1)); }
import json, sys
import numpy as np
s = json.load(open(sys.argv[1] + "/stats.json"))["numerics"]
assert s["calibration_inputs"] == 21 and s["headroom_bits"] == 2, s
assert s["layers"][0]["acc_limit"] == 2**29 and s["layers"][0]["acc_peak"] < 2**29, s
assert (np.load(sys.argv[1] + "/input.npy") != 0).sum() == (np.load(sys.argv[2] + "/input.npy") != 0).sum()
print("ok: calibration")
PY
exact_pack "$T/p_cal"
expect 3 "calib_bad.npy: calibration inputs must be .* \(n, 40\)" -- "$EIE" gen --weights "$T/dense_w.npy" \
  --input "$T/dense_a.npy" --calibrate "$T/calib_bad.npy" -o "$T/x"
expect 3 "--calibrate goes with --weights or --network" -- "$EIE" gen --random 8x8 --calibrate "$T/calib.npy" -o "$T/x"
expect 3 "--headroom '31' is not an integer in 0..30" -- "$EIE" gen --random 8x8 --headroom 31 -o "$T/x"

# Values no 16-bit format holds.
expect 3 "layer 0: weights up to 1e\+300 do not fit 16 bits" -- \
  "$EIE" gen --weights "$T/huge_w.npy" --input "$T/dense_a.npy" -o "$T/x"
expect 3 "layer 0: weights \(largest 1e-310\) all round to 0" -- \
  "$EIE" gen --weights "$T/tiny_w.npy" --input "$T/dense_a.npy" -o "$T/x"
expect 3 "layer 0: input values up to 1e\+06 do not fit 16 bits" -- \
  "$EIE" gen --weights "$T/dense_w.npy" --input "$T/big_a.npy" -o "$T/x"
[ ! -e "$T/x" ] || { echo "FAIL: output written on error"; fails=$((fails + 1)); }
finish

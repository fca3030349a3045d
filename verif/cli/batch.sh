#!/usr/bin/env bash
# eie_batch: the same results whatever the number of jobs (the images shared among threads,
# each with an array of its own); the RTL check of the first images under several jobs;
# bad --jobs refused.
set -u
. "$(dirname "$0")/lib.bash"
B=$(dirname "$EIE")/eie_batch
[ -x "$B" ] || { echo "skip: no eie_batch"; exit 0; }
expect 0 "" -- "$EIE" gen --random-net 120,40,10 --seed 3 --pes 4 --fifo-depth 2 -o "$T/pack"
$PY - "$T" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
r = np.random.default_rng(7)
x = r.integers(0, 256, (301, 120), dtype=np.uint8)
x[r.random((301, 120)) < 0.5] = 0
np.save(d + "/x.npy", x)
np.save(d + "/xf.npy", x.astype(np.float32) / 255)
np.save(d + "/y.npy", r.integers(0, 10, 301).astype(np.int32))
PY
# The results of a run, without its times and job count.
results() {
  $PY -c 'import json, sys
j = json.load(open(sys.argv[1]))
for k in ("jobs", "model_seconds", "model_cpu_seconds", "images_per_second",
          "images_per_cpu_second", "rtl_seconds", "pack"):
    j.pop(k, None)
print(json.dumps(j, sort_keys=True))' "$1"
}
expect 0 "301 images" -- "$B" "$T/pack" "$T/x.npy" "$T/y.npy" --jobs 1 --json "$T/j1.json"
expect 0 "\(3 jobs\)" -- "$B" "$T/pack" "$T/x.npy" "$T/y.npy" --jobs 3 --json "$T/j3.json"
expect 0 "301 images" -- "$B" "$T/pack" "$T/x.npy" "$T/y.npy" --jobs 7 --quiet --json "$T/j7.json"
check "1, 3 and 7 jobs: the same results" \
  test "$(results "$T/j1.json")" = "$(results "$T/j3.json")" -a \
  "$(results "$T/j1.json")" = "$(results "$T/j7.json")"
# More jobs than images: one image each.
expect 0 "\(2 jobs\)" -- "$B" "$T/pack" "$T/xf.npy" "$T/y.npy" --limit 2 --jobs 5 --json "$T/jl.json"
expect 0 "\(1 jobs\)" -- "$B" "$T/pack" "$T/xf.npy" "$T/y.npy" --limit 2 --jobs 1 --json "$T/jl1.json"
check "--limit 2 on 5 jobs and on 1: the same results" \
  test "$(results "$T/jl.json")" = "$(results "$T/jl1.json")"
if "$B" --help | grep -q '^RTL: built in'; then
  # The first 12 images also on the RTL, their C-model records written by 3 jobs.
  expect 0 "outputs differ on 0, cycles on 0, events on 0" -- \
    "$B" "$T/pack" "$T/x.npy" "$T/y.npy" --limit 40 --jobs 3 --rtl 12
fi
for bad in 0 257 x -1; do
  expect 3 "--jobs '$bad' is not a count from 1 to 256" -- \
    "$B" "$T/pack" "$T/x.npy" "$T/y.npy" --jobs "$bad"
done
finish

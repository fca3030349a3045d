#!/usr/bin/env bash
# Network specs, --config files and data files given on the command line: regular files only
# (never a hang on a FIFO), spec names inside the spec's folder, JSON duplicate keys refused,
# a clear message for a directory. Every refused case: exit 3, one line, nothing changed.
set -u
. "$(dirname "$0")/lib.bash"
mkdir -p "$T/net/sub" "$T/outside"
$PY - "$T" <<'PY'
import json, sys
import numpy as np
d = sys.argv[1]
r = np.random.default_rng(9)
np.save(d + "/net/w.npy", r.normal(0, 0.1, (12, 10))); np.save(d + "/net/a.npy", np.abs(r.normal(0, 1, 10)))
np.save(d + "/net/sub/w.npy", r.normal(0, 0.1, (12, 10)))
np.save(d + "/outside/w.npy", r.normal(0, 0.1, (12, 10)))
def spec(name, weights, text=None):
    s = {"schema": "eie-network", "schema_version": 1, "input": "a.npy", "layers": [{"weights": weights}]}
    open(d + "/net/" + name, "w").write(text if text else json.dumps(s))
spec("good.json", "w.npy")
spec("subdir.json", "sub/w.npy")
spec("fifo.json", "ff.npy")
spec("absolute.json", d + "/outside/w.npy")
spec("dotdot.json", "../outside/w.npy")
spec("link.json", "out_link.npy")
spec("dup.json", "w.npy", '{"schema": "eie-network", "schema_version": 1, "input": "a.npy", "input": "a.npy", "layers": [{"weights": "w.npy"}]}')
spec("notstr.json", "w.npy", '{"schema": "eie-network", "schema_version": 1, "input": "a.npy", "layers": [{"weights": 7}]}')
PY
mkfifo "$T/net/ff.npy" "$T/fifo.json"
ln -s "$T/outside/w.npy" "$T/net/out_link.npy"
echo '{"NUM_PE": 4, "NUM_PE": 5}' >"$T/cfg_dup.json"
mkdir "$T/cfg_dir.json"
expect 0 "12x10 layer" -- "$EIE" gen --network "$T/net/good.json" --pes 2 -o "$T/p1"
expect 0 "12x10 layer" -- "$EIE" gen --network "$T/net/subdir.json" --pes 2 -o "$T/p2"
# refused PATTERN ARGS...: eie ARGS exits 3 with one line (nothing changes: checked at the end).
refused() {
  local pat=$1
  shift
  expect1 3 "$pat" -- "$EIE" "$@"
}
mkdir -p "$T/pm/manifest.json"
before=$(snap "$T")
# 9: a spec naming a FIFO does not block.
refused 'net/ff.npy: is a FIFO, not a regular file' gen --network "$T/net/fifo.json" -o "$T/x"
refused "absolute.json: layers\[0\] weights '.*outside/w.npy' must be a file name relative to the spec's folder" gen --network "$T/net/absolute.json" -o "$T/x"
refused "dotdot.json: layers\[0\] weights '../outside/w.npy' must be a file name relative to the spec's folder" gen --network "$T/net/dotdot.json" -o "$T/x"
refused 'net/out_link.npy: resolves outside' gen --network "$T/net/link.json" -o "$T/x"
refused 'dup.json: line 1: duplicate object key' gen --network "$T/net/dup.json" -o "$T/x"
refused 'notstr.json: layers\[0\]\.weights must name a .npy file' gen --network "$T/net/notstr.json" -o "$T/x"
refused 'net: is a directory, not a regular file' gen --network "$T/net" -o "$T/x"
refused 'fifo.json: is a FIFO, not a regular file' gen --network "$T/fifo.json" -o "$T/x"
# --config and data files given on the command line.
refused 'gen: --config .*cfg_dup.json: line 1: duplicate object key' gen --config "$T/cfg_dup.json" --random 8x8 -o "$T/x"
refused 'gen: --config .*cfg_dir.json: is a directory, not a regular file' gen --config "$T/cfg_dir.json" --random 8x8 -o "$T/x"
refused 'gen: --config .*fifo.json: is a FIFO, not a regular file' gen --config "$T/fifo.json" --random 8x8 -o "$T/x"
refused 'net/ff.npy: is a FIFO, not a regular file' gen --weights "$T/net/ff.npy" --input "$T/net/a.npy" -o "$T/x"
refused 'net/ff.npy: is a FIFO, not a regular file' gen --weights "$T/net/w.npy" --input "$T/net/ff.npy" -o "$T/x"
refused 'net/ff.npy: is a FIFO, not a regular file' gen --weights "$T/net/w.npy" --input "$T/net/a.npy" --bias "$T/net/ff.npy" -o "$T/x"
refused 'net: is a directory, not a regular file' gen --weights "$T/net" --input "$T/net/a.npy" -o "$T/x"
refused 'net/ff.npy: is a FIFO, not a regular file' gen --weights "$T/net/w.npy" --input "$T/net/a.npy" --calibrate "$T/net/ff.npy" -o "$T/x"
refused 'net: holds .*net/sub/w.npy, which this command reads' gen --weights "$T/outside/w.npy" --input "$T/outside/w.npy" --calibrate "$T/net/sub/w.npy" --force -o "$T/net"
# Packs given to run, trace and sweep: a directory where the manifest should be, a FIFO.
refused 'pm/manifest.json: is a directory, not a regular file' run "$T/pm"
refused 'pm/manifest.json: is a directory, not a regular file' trace "$T/pm"
refused 'pm/manifest.json: is a directory, not a regular file' sweep "$T/pm"
refused 'fifo.json/manifest.json: cannot open: Not a directory' run "$T/fifo.json"
unchanged "the refused specs, configurations and packs" "$before" "$(snap "$T")"
finish

#!/usr/bin/env bash
# eie gen --network SPEC.json: a multi-layer network from .npy files, and bad specs refused.
set -u
. "$(dirname "$0")/lib.bash"
$PY - "$T" <<'PY'
import json, sys
import numpy as np
d = sys.argv[1]
r = np.random.default_rng(7)
np.save(d + "/x.npy", np.maximum(r.normal(0, 1, 64), 0).astype(np.float32))
np.save(d + "/xq.npy", np.round(np.maximum(r.normal(0, 1, 64), 0) * 256).astype(np.int16))
np.save(d + "/w0.npy", r.normal(0, 0.1, (48, 64))); np.save(d + "/b0.npy", r.normal(0, 0.1, 48))
np.save(d + "/w1.npy", r.normal(0, 0.1, (10, 48)).astype(np.float32))
np.save(d + "/w_bad.npy", r.normal(0, 0.1, (10, 47)))
np.save(d + "/b_bad.npy", r.normal(0, 0.1, 7))
good = {"schema": "eie-network", "schema_version": 1, "input": "x.npy",
        "layers": [{"weights": "w0.npy", "bias": "b0.npy", "density": 0.3, "relu": True},
                   {"weights": "w1.npy", "density": 0.5, "relu": False}]}
json.dump(good, open(d + "/net.json", "w"))
q = dict(good, input="xq.npy", input_frac=8); json.dump(q, open(d + "/netq.json", "w"))
def bad(name, **kw):
    s = json.loads(json.dumps(good))
    for k, v in kw.items():
        if k == "layer1": s["layers"][1].update(v)
        elif v is None: s.pop(k)
        else: s[k] = v
    json.dump(s, open(d + "/" + name + ".json", "w"))
bad("no_schema", schema=None)
bad("version", schema_version=7)
bad("extra", colour="blue")
bad("no_layers", layers=[])
bad("no_input", input=None)
bad("chain", layer1={"weights": "w_bad.npy"})
bad("density", layer1={"density": 1.5})
bad("relu", layer1={"relu": "yes"})
bad("bias_len", layer1={"bias": "b_bad.npy"})
bad("missing", layer1={"weights": "nope.npy"})
bad("layer_key", layer1={"wieghts": "w1.npy"})
open(d + "/broken.json", "w").write('{"schema": "eie-network",')
PY
expect 0 "48x64, 10x48 layers" -- "$EIE" gen --network "$T/net.json" --pes 4 --fifo-depth 2 -o "$T/p"
expect 0 "match" -- "$EIE" run "$T/p"
grep -q '"bias_file": "bias0.npy"' "$T/p/manifest.json" || { echo "FAIL: bias of layer 0"; fails=$((fails + 1)); }
expect 0 "layer 0 formats: input Q8" -- "$EIE" gen --network "$T/netq.json" --pes 4 -o "$T/pq"
expect 3 'net.json|no_schema.json: "schema" must be "eie-network"' -- "$EIE" gen --network "$T/no_schema.json" -o "$T/x"
expect 3 'version.json: unsupported schema_version' -- "$EIE" gen --network "$T/version.json" -o "$T/x"
expect 3 'extra.json: unknown field "colour"' -- "$EIE" gen --network "$T/extra.json" -o "$T/x"
expect 3 'no_layers.json: "layers" must list 1..16' -- "$EIE" gen --network "$T/no_layers.json" -o "$T/x"
expect 3 'no_input.json: "input" must name a .npy file' -- "$EIE" gen --network "$T/no_input.json" -o "$T/x"
expect 3 'chain.json: layers\[1\].weights has shape \(10, 47\) but its input has 48' -- "$EIE" gen --network "$T/chain.json" -o "$T/x"
expect 3 'density.json: layers\[1\].density must be a number in \[0, 1\]' -- "$EIE" gen --network "$T/density.json" -o "$T/x"
expect 3 'relu.json: layers\[1\].relu must be true or false' -- "$EIE" gen --network "$T/relu.json" -o "$T/x"
expect 3 'bias_len.json: layers\[1\].bias has 7 values, the layer 10 outputs' -- "$EIE" gen --network "$T/bias_len.json" -o "$T/x"
expect 3 'nope.npy: cannot open' -- "$EIE" gen --network "$T/missing.json" -o "$T/x"
expect 3 'layer_key.json: layers\[1\]: unknown field "wieghts"' -- "$EIE" gen --network "$T/layer_key.json" -o "$T/x"
expect 3 'broken.json: line 1' -- "$EIE" gen --network "$T/broken.json" -o "$T/x"
expect 3 'absent.json: cannot open' -- "$EIE" gen --network "$T/absent.json" -o "$T/x"
[ ! -e "$T/x" ] || { echo "FAIL: output written on error"; fails=$((fails + 1)); }
finish

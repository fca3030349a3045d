#!/usr/bin/env bash
# eie run refuses broken packs with one line naming the file and the problem, exit 3.
set -u
. "$(dirname "$0")/lib.bash"
"$EIE" gen --random 40x30 --density 0.3 --pes 3 --fifo-depth 2 -q -o "$T/good"
# Make a copy of the good pack, apply a python edit to its manifest (or files), run it.
broken() {
  local name=$1 pat=$2 edit=$3
  rm -rf "$T/$name" && cp -r "$T/good" "$T/$name"
  $PY - "$T/$name" "$edit" <<'PY'
import hashlib, json, sys
d, edit = sys.argv[1], sys.argv[2]
m = json.load(open(d + "/manifest.json"))
def rehash(f):
    m["files"][f]["sha256"] = hashlib.sha256(open(d + "/" + f, "rb").read()).hexdigest()
exec(edit)
json.dump(m, open(d + "/manifest.json", "w"), indent=2)
PY
  expect 3 "$pat" -- "$EIE" run "$T/$name"
}
broken no_schema     'manifest.json: "schema" is not'       'del m["schema"]'
broken new_version   'unsupported schema_version'           'm["schema_version"] = 2'
broken no_files      'missing "files" object'               'del m["files"]'
broken no_config     'missing "config" object'              'del m["config"]'
broken bad_param     'unknown parameter config.WIDGETS'     'm["config"]["WIDGETS"] = 3'
broken fixed_param   'config.ACC_W = 24 but this model'      'm["config"]["ACC_W"] = 24'
broken pe_range      'NUM_PE = 0 is outside'                 'm["config"]["NUM_PE"] = 0'
broken hash          'param_hash 0xdeadbeef does not match'  'm["param_hash"] = "0xdeadbeef"'
broken no_layers     '"layers" must list 1..16'              'm["layers"] = []'
broken layer_field   'layers\[0\] needs integer in_len'      'del m["layers"][0]["in_len"]'
broken shift         'layers\[0\] needs integer'             'm["layers"][0]["shift"] = 40'
broken ptr_beyond    'beyond PTR_DEPTH'                      'm["layers"][0]["ptr_base"] = 16380'
broken overlap       'overlaps input region'                 'm["layers"][0]["out_base"] = m["layers"][0]["in_base"]'
broken in_len        'input.npy: expected a 1-D <i2 array of 29' 'm["layers"][0]["in_len"] = 29'
broken v_4bit        'pe1_v.npy: entry 0 is 16, beyond 4 bits' 'import numpy as np; v = np.load(d + "/pe1_v.npy"); v[0] = 16; np.save(d + "/pe1_v.npy", v); rehash("pe1_v.npy")'
broken ptr_order     'pointer p\[1\] = 0 is below'           'import numpy as np; p = np.load(d + "/pe0_ptr.npy"); p[1:] = 0; p[0] = 5; np.save(d + "/pe0_ptr.npy", p); rehash("pe0_ptr.npy")'
broken missing_file  'pe2_z.npy: cannot read'                'import os; os.remove(d + "/pe2_z.npy")'
broken not_json      'manifest.json: line'                   'open(d + "/manifest.json", "w").write("{]"); raise SystemExit'
finish

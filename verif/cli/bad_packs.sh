#!/usr/bin/env bash
# eie run refuses broken packs with one line naming the file and the problem, exit 3; so
# does eie check, which also reads what eie run does not ($readmemh images).
set -u
. "$(dirname "$0")/lib.bash"
"$EIE" gen --random 40x30 --density 0.3 --pes 3 --fifo-depth 2 -q -o "$T/good"
# Make a copy of the good pack, apply a python edit to its manifest (or files), run it
# (CMDS: the commands that must refuse it, default run and check).
broken() {
  local name=$1 pat=$2 edit=$3 cmd
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
  for cmd in ${CMDS:-run check}; do expect 3 "$pat" -- "$EIE" $cmd "$T/$name"; done
}
broken no_schema     'manifest.json: "schema" is not'       'del m["schema"]'
broken new_version   'unsupported schema_version'           'm["schema_version"] = 3'
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
broken z_4bit_first  'pe1_z.npy: entry 3 is 20, beyond 4 bits$' 'import numpy as np; v = np.load(d + "/pe1_v.npy"); z = np.load(d + "/pe1_z.npy"); z[3] = 20; v[5] = 17; z[6] = 255; np.save(d + "/pe1_v.npy", v); np.save(d + "/pe1_z.npy", z); rehash("pe1_v.npy"); rehash("pe1_z.npy")'
broken ptr_order     'pointer p\[1\] = 0 is below'           'import numpy as np; p = np.load(d + "/pe0_ptr.npy"); p[1:] = 0; p[0] = 5; np.save(d + "/pe0_ptr.npy", p); rehash("pe0_ptr.npy")'
broken npy_short     'pe0_z.npy: truncated data: expected [0-9]+ bytes, found' 'b = open(d + "/pe0_z.npy", "rb").read(); open(d + "/pe0_z.npy", "wb").write(b[:-1]); rehash("pe0_z.npy")'
broken npy_long      'pe1_ptr.npy: 2 unexpected bytes after the data' 'open(d + "/pe1_ptr.npy", "ab").write(b"\0\0"); rehash("pe1_ptr.npy")'
broken npy_z_len     'pe2_z.npy: expected a 1-D .u1 array of [0-9]+, found .u1 with 1 dims' 'import numpy as np; z = np.load(d + "/pe2_z.npy"); np.save(d + "/pe2_z.npy", z[:-1]); rehash("pe2_z.npy")'
broken missing_file  'pe2_z.npy: cannot open: No such file'                'import os; os.remove(d + "/pe2_z.npy")'
broken not_json      'manifest.json: line'                   'open(d + "/manifest.json", "w").write("{]"); raise SystemExit'
# $readmemh images: they must parse and hold the same memories as the npy arrays (eie check;
# eie run reads the memories from the npy arrays and leaves the images to RTL flows).
hexedit() {  # replace line N (1-based, counting comment lines) of FILE with TEXT, then rehash
  printf 'lines = open(d + "/%s").read().split("\\n"); lines[%d] = "%s"; open(d + "/%s", "w").write("\\n".join(lines)); rehash("%s")' "$1" "$(( $2 - 1 ))" "$3" "$1" "$1"
}
CMDS=check
broken hex_digit     'pe0_act.hex: line 8: .g. is not a hexadecimal digit' "$(hexedit pe0_act.hex 8 00g0)"
broken hex_wide      'pe1_ptr_even.hex: line 7: .12345. is wider than 16 bits' "$(hexedit pe1_ptr_even.hex 7 12345)"
broken hex_value     'pe2_spmat.hex: word 0 is 0x1, the npy arrays give' "$(hexedit pe2_spmat.hex 7 0000000000000001)"
broken hex_address   'pe0_ptr_odd.hex: line 7: .@. addresses are not supported' "$(hexedit pe0_ptr_odd.hex 7 @10)"
broken hex_words     'pe0_act.hex: line [0-9]+: more than the 1152 words' 'open(d + "/pe0_act.hex", "a").write("0000\n" * 5); rehash("pe0_act.hex")'
unset CMDS
# Event streams (bcast, pe0, pe1, pe2 read in that order, their hashes checked as they are
# read): the first stream that fails, to be read or its hash, is the one named.
broken ev_tampered   'pe1_events.txt: sha256 does not match the manifest'   'open(d + "/pe1_events.txt", "a").write("// more\n")'
broken ev_hash_first 'pe0_events.txt: sha256 does not match the manifest$'  'import os; open(d + "/pe0_events.txt", "a").write("x"); os.remove(d + "/pe2_events.txt")'
broken ev_read_first 'pe0_events.txt: cannot open: No such file'            'import os; os.remove(d + "/pe0_events.txt"); open(d + "/pe2_events.txt", "a").write("x")'
broken ev_entry      'manifest.json: no sha256 for pe1_events.txt'          'del m["files"]["pe1_events.txt"]["sha256"]; open(d + "/pe2_events.txt", "a").write("x")'
# The streams are read while the program is: a broken program is still the one named.
broken ev_program    'pe1_v.npy: entry 0 is 16, beyond 4 bits'              'import numpy as np; v = np.load(d + "/pe1_v.npy"); v[0] = 16; np.save(d + "/pe1_v.npy", v); rehash("pe1_v.npy"); open(d + "/bcast_events.txt", "a").write("x")'
broken hex_missing   'pe1_spmat.hex: cannot open: No such file'            'import os; os.remove(d + "/pe1_spmat.hex")'
# What eie run promises about the files it does not read: present, regular, inside the pack.
# A tampered image (the hash no longer matching) is eie check's to find; eie run still runs
# the memories of the npy arrays, which are untampered.
rm -rf "$T/hex_tampered" && cp -r "$T/good" "$T/hex_tampered" && printf '0000\n' >>"$T/hex_tampered/pe0_act.hex"
expect 0 "match" -- "$EIE" run "$T/hex_tampered"
expect 3 "pe0_act.hex: sha256 does not match the manifest" -- "$EIE" check "$T/hex_tampered"
rm -f "$T/hex_tampered/pe0_act.hex" && mkfifo "$T/hex_tampered/pe0_act.hex"
expect 3 "pe0_act.hex: is a FIFO, not a regular file" -- "$EIE" run "$T/hex_tampered"
finish

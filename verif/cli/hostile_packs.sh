#!/usr/bin/env bash
# A pack is a closed world: eie run reads only regular files inside it, bounded by the
# manifest, never blocks on a FIFO or device, never discloses anything about files outside;
# strict hex, event and JSON parsing. Every case: exit 3, one line naming the file and the
# problem, and nothing anywhere changed. eie check refuses every case too; the cases in files
# eie run does not read ($readmemh images, stats.json) only eie check (docs/formats.md).
set -u
. "$(dirname "$0")/lib.bash"
mkdir "$T/src" "$T/outside"
$PY - "$T/src" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
r = np.random.default_rng(5)
np.save(d + "/w.npy", r.normal(0, 0.1, (24, 20))); np.save(d + "/b.npy", r.normal(0, 0.1, 24))
np.save(d + "/a.npy", np.abs(r.normal(0, 1, 20)))
PY
"$EIE" gen --weights "$T/src/w.npy" --input "$T/src/a.npy" --bias "$T/src/b.npy" --density 0.4 --pes 3 --fifo-depth 2 -q -o "$T/good"
cp "$T/good/bias0.npy" "$T/outside/bias0.npy"
# hostile NAME PATTERN EDIT: a case: a copy of the good pack with a python edit (m: the
# manifest, rehash(f): update f's sha256; raise SystemExit: leave the manifest as the edit
# wrote it). run_hostile makes every copy (one python run) and runs each: exit 3 with one
# line matching PATTERN; then no pack and nothing around them changed.
names=() pats=() edits=() cmds=()
hostile() { names+=("$1"); pats+=("$2"); edits+=("$3"); cmds+=(run); }
# hostile_check NAME PATTERN EDIT: a case in a file only eie check reads.
hostile_check() { names+=("$1"); pats+=("$2"); edits+=("$3"); cmds+=(check); }
run_hostile() {
  local args=() i before
  for i in "${!names[@]}"; do args+=("${names[$i]}" "${edits[$i]}"); done
  $PY - "$T" "${args[@]}" <<'PY'
import hashlib, json, os, shutil, sys
t, cases = sys.argv[1], sys.argv[2:]
for name, edit in zip(cases[0::2], cases[1::2]):
    d = t + "/" + name
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(t + "/good", d, symlinks=True)
    m = json.load(open(d + "/manifest.json"))
    def rehash(f):
        m["files"][f]["sha256"] = hashlib.sha256(open(d + "/" + f, "rb").read()).hexdigest()
    def hexlines(f, fn):  # rewrite the lines of a text file, then rehash it
        lines = open(d + "/" + f).read().split("\n")
        fn(lines)
        open(d + "/" + f, "w").write("\n".join(lines)); rehash(f)
    try:
        exec(edit)
    except SystemExit:
        continue
    json.dump(m, open(d + "/manifest.json", "w"), indent=2)
PY
  before=$(snap "$T")
  for i in "${!names[@]}"; do
    [ "${cmds[$i]}" = run ] && expect1 3 "${pats[$i]}" -- "$EIE" run "$T/${names[$i]}"
    expect1 3 "${pats[$i]}" -- "$EIE" check "$T/${names[$i]}"
  done
  unchanged "the hostile packs and everything around them" "$before" "$(snap "$T")"
}
expect 0 "match" -- "$EIE" run "$T/good"
expect 0 "sound" -- "$EIE" check "$T/good"

# 7, 8: a pack file that is a link to a device, or a FIFO: refused at once, never read.
hostile dev_zero   'pe0_v.npy: resolves outside' 'os.remove(d + "/pe0_v.npy"); os.symlink("/dev/zero", d + "/pe0_v.npy")'
hostile fifo       'pe0_v.npy: is a FIFO, not a regular file' 'os.remove(d + "/pe0_v.npy"); os.mkfifo(d + "/pe0_v.npy")'
hostile fifo_link  'pe0_z.npy: is a FIFO, not a regular file' 'os.mkfifo(d + "/ff"); os.remove(d + "/pe0_z.npy"); os.symlink("ff", d + "/pe0_z.npy")'
hostile dir_file   'pe1_ptr.npy: is a directory, not a regular file' 'os.remove(d + "/pe1_ptr.npy"); os.mkdir(d + "/pe1_ptr.npy")'
hostile manifest_dir 'manifest.json: is a directory, not a regular file' 'os.remove(d + "/manifest.json"); os.mkdir(d + "/manifest.json"); raise SystemExit'
# Symbolic links are followed only inside the pack.
rm -rf "$T/inner_link" && cp -r "$T/good" "$T/inner_link" && mkdir "$T/inner_link/sub" &&
  mv "$T/inner_link/pe2_z.npy" "$T/inner_link/sub/z.npy" && ln -s sub/z.npy "$T/inner_link/pe2_z.npy"
expect 0 "match" -- "$EIE" run "$T/inner_link"
rm -rf "$T/inner_link"
hostile outer_link 'bias0.npy: resolves outside' 'os.remove(d + "/bias0.npy"); os.symlink(os.path.abspath(d + "/../outside/bias0.npy"), d + "/bias0.npy")'
hostile dangling   'bias0.npy: a symbolic link that does not resolve to a file inside' 'os.remove(d + "/bias0.npy"); os.symlink("/nonexistent/x", d + "/bias0.npy")'

# 10, 11: names outside the pack are refused before anything is opened; nothing about the
# file outside (not even its sha256) is shown.
hostile bias_outside 'layers\[0\]\.bias_file .\.\./outside/bias0\.npy. is not a file name inside the pack' \
  'm["layers"][0]["bias_file"] = "../outside/bias0.npy"; m["files"]["../outside/bias0.npy"] = m["files"]["bias0.npy"]'
hostile bias_passwd  'layers\[0\]\.bias_file .*etc/passwd. is not a file name inside the pack' \
  'm["layers"][0]["bias_file"] = "../../../../../../../../etc/passwd"; m["files"]["../../../../../../../../etc/passwd"] = {"sha256": "0" * 64, "width": 16, "depth": 24}'
hostile bias_absolute 'layers\[0\]\.bias_file ./etc/passwd. is not a file name inside the pack' \
  'm["layers"][0]["bias_file"] = "/etc/passwd"; m["files"]["/etc/passwd"] = {"sha256": "0" * 64, "width": 16, "depth": 24}'
hostile files_outside 'manifest.json: .\.\./outside/bias0\.npy. is not a file name inside the pack' \
  'm["files"]["../outside/bias0.npy"] = m["files"]["bias0.npy"]'
passwd_sha=$(sha256sum /etc/passwd | cut -c1-64)
rm -rf "$T/leak" && cp -r "$T/good" "$T/leak" && rm "$T/leak/bias0.npy" && ln -s /etc/passwd "$T/leak/bias0.npy"
out=$("$EIE" run "$T/leak" 2>&1)
check "no sha256 of a file outside in the message" test -z "$(printf '%s' "$out" | grep -F "$passwd_sha")"
rm -rf "$T/leak"
hostile bad_sha 'pe1_v.npy: sha256 does not match the manifest$' 'm["files"]["pe1_v.npy"]["sha256"] = "0" * 64'

# Sizes are bounded by the manifest before anything is hashed or parsed.
hostile_check too_big 'stats.json: [0-9]+ bytes, more than the 1048576 bytes allowed' \
  'open(d + "/stats.json", "a").write(" " * 2000000); rehash("stats.json"); m["files"]["stats.json"]["depth"] = 0'
hostile no_depth 'files.pe0_v.npy needs an integer depth' 'del m["files"]["pe0_v.npy"]["depth"]'

# 13: hex lines of any length, as $readmemh reads them.
hostile_check hex_600 'pe0_act.hex: 1151 words, the npy arrays give 1152' 'hexlines("pe0_act.hex", lambda l: l.__setitem__(slice(6, 8), ["0" * 600]))'
rm -rf "$T/hex_600_one" && cp -r "$T/good" "$T/hex_600_one" && $PY - "$T/hex_600_one" <<'PY'
import hashlib, json, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
lines = open(d + "/pe0_act.hex").read().split("\n"); lines[6] = "0" * 600 + lines[6][:2] + "_" + lines[6][2:]
lines.insert(0, "// " + "c" * 700)
open(d + "/pe0_act.hex", "w").write("\n".join(lines))
m["files"]["pe0_act.hex"]["sha256"] = hashlib.sha256(open(d + "/pe0_act.hex", "rb").read()).hexdigest()
json.dump(m, open(d + "/manifest.json", "w"))
PY
expect 0 "sound" -- "$EIE" check "$T/hex_600_one"
rm -rf "$T/hex_600_one"
hostile_check hex_nul   'pe0_act.hex: line 7: a NUL byte' 'hexlines("pe0_act.hex", lambda l: l.__setitem__(6, "0000\0zzzz garbage"))'
hostile_check hex_under 'pe0_act.hex: line 7: ._. is not a hexadecimal digit' 'hexlines("pe0_act.hex", lambda l: l.__setitem__(6, "_"))'
hostile_check hex_long  'pe0_act.hex: line 9: .g. is not a hexadecimal digit' 'hexlines("pe0_act.hex", lambda l: (l.__setitem__(6, "0" * 600), l.__setitem__(8, "0" * 600 + "g")))'
hostile_check hex_xz    'pe1_spmat.hex: line 7: .x. is not a hexadecimal digit' 'hexlines("pe1_spmat.hex", lambda l: l.__setitem__(6, "000000000000000x"))'

# Event files: line numbers after long comments, exactly 7 fields, decimal values in range.
ev_edit() {  # ev_edit N TEXT: replace event line N (0-based, after the comments) of pe1_events.txt
  printf 'hexlines("pe1_events.txt", lambda l: (l.insert(0, "// " + "c" * 600), l.__setitem__([i for i, x in enumerate(l) if x and not x.startswith("//")][%d], "%s")))' "$1" "$2"
}
hostile ev_comment 'pe1_events.txt: line 7: .value. is not a decimal integer in range' "$(ev_edit 1 'ACC 9 0 0 20 x 0')"
hostile ev_extra   'pe1_events.txt: line 6: more than 7 fields' "$(ev_edit 0 'ACC 9 0 0 20 1 0 7')"
hostile ev_fewer   'pe1_events.txt: line 6: fewer than 7 fields' "$(ev_edit 0 'ACC 9 0 0 20 1')"
hostile ev_wrap    'pe1_events.txt: line 6: .value. is not a decimal integer in range' "$(ev_edit 0 'ACC 9 0 0 1 4294967297 0')"
hostile ev_index   'pe1_events.txt: line 6: .index. is not a decimal integer in range' "$(ev_edit 0 'ACC 9 0 0 -1 5 0')"
hostile ev_zero    'pe1_events.txt: line 6: .cycle. is not a decimal integer in range' "$(ev_edit 0 'ACC 09 0 0 1 5 0')"
hostile ev_bypass  'pe1_events.txt: line 6: .bypass. is not 0 or 1' "$(ev_edit 0 'WB 9 0 0 1 5 1')"
hostile ev_kind    'pe1_events.txt: line 6: .kind. is not BCAST, ACC or WB' "$(ev_edit 0 'MAC 9 0 0 1 5 0')"

# The manifest itself: codebook entry 0, every listed file, bias_file's type, duplicate keys,
# num_layers.
hostile codebook0 'codebook.npy: layer 0: entry 0 is 5, but entry 0 of a codebook is 0' \
  'import numpy as np; c = np.load(d + "/codebook.npy"); c[0][0] = 5; np.save(d + "/codebook.npy", c); rehash("codebook.npy")'
hostile ghost     'ghost.npy: cannot open: No such file or directory' 'm["files"]["ghost.npy"] = {"sha256": "0" * 64, "width": 16, "depth": 1}'
hostile bias_int  'layers\[0\]\.bias_file must be a file name \(a string\)' 'm["layers"][0]["bias_file"] = 7'
hostile num_layers '"num_layers" must be the number of layers listed \(1\)' 'm["num_layers"] = 2'
hostile no_num_layers '"num_layers" must be the number of layers listed' 'del m["num_layers"]'
hostile dup_key   'manifest.json: line [0-9]+: duplicate object key' \
  'open(d + "/manifest.json", "w").write(json.dumps(m).replace("{", "{\"schema_version\": 2, ", 1)); raise SystemExit'
run_hostile
finish

#!/usr/bin/env bash
# eie gen writes a pack that eie run accepts; tampering is detected.
set -u
. "$(dirname "$0")/lib.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
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
e = np.load(d + "/expected.npy"); e[3] += 1
m = json.load(open(d + "/manifest.json"))
def put(name, write):
    write(d + "/" + name)
    m["files"][name]["sha256"] = hashlib.sha256(open(d + "/" + name, "rb").read()).hexdigest()
put("expected.npy", lambda p: np.save(p, e))
put("layer0_expected.npy", lambda p: np.save(p, e))
lines = open(d + "/layer0_expected.hex").read().splitlines()
body = [i for i, l in enumerate(lines) if not l.startswith("//")]
lines[body[3]] = "%04x" % (int(e[3]) & 0xffff)
put("layer0_expected.hex", lambda p: open(p, "w").write("\n".join(lines) + "\n"))
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
# Configuration files: every parameter from JSON (or a pack's manifest); options override.
echo '{"NUM_PE": 5, "FIFO_DEPTH": 3, "RF_DEPTH": 32}' > "$T/cfg.json"
expect 0 "5 PEs, FIFO 3" -- "$EIE" gen --config "$T/cfg.json" --random 64x64 -o "$T/c1"
grep -q '"RF_DEPTH": 32' "$T/c1/manifest.json" || { echo "FAIL: RF_DEPTH from --config not in the manifest"; fails=$((fails + 1)); }
expect 0 "7 PEs, FIFO 3" -- "$EIE" gen --random 64x64 --pes 7 --config "$T/cfg.json" -o "$T/c2"
expect 0 "5 PEs, FIFO 3" -- "$EIE" gen --config "$T/c1/manifest.json" --random 32x32 -o "$T/c3"
echo '{"NUM_PE": 5, "FOO": 1}' > "$T/cfg_unknown.json"
expect 3 "cfg_unknown.json: unknown parameter config.FOO" -- "$EIE" gen --config "$T/cfg_unknown.json" --random 8x8 -o "$T/x"
echo '{"NUM_PE": "five"}' > "$T/cfg_type.json"
expect 3 "cfg_type.json: config.NUM_PE is not an integer" -- "$EIE" gen --config "$T/cfg_type.json" --random 8x8 -o "$T/x"
echo '{"NUM_PE": 999}' > "$T/cfg_range.json"
expect 3 "cfg_range.json: NUM_PE = 999 is outside 1..256" -- "$EIE" gen --config "$T/cfg_range.json" --random 8x8 -o "$T/x"
echo '{"ACC_W": 24}' > "$T/cfg_fixed.json"
expect 3 "cfg_fixed.json: config.ACC_W = 24 but this model has 32" -- "$EIE" gen --config "$T/cfg_fixed.json" --random 8x8 -o "$T/x"
echo '{"NUM_PE": 5,' > "$T/cfg_broken.json"
expect 3 "cfg_broken.json: line" -- "$EIE" gen --config "$T/cfg_broken.json" --random 8x8 -o "$T/x"
echo '[1, 2]' > "$T/cfg_array.json"
expect 3 "cfg_array.json: not a JSON object" -- "$EIE" gen --config "$T/cfg_array.json" --random 8x8 -o "$T/x"
expect 3 "no_such.json: cannot open" -- "$EIE" gen --config "$T/no_such.json" --random 8x8 -o "$T/x"
[ ! -e "$T/x" ] || { echo "FAIL: a refused --config left $T/x"; fails=$((fails + 1)); }
# Per-layer vectors and event streams; --no-events leaves the streams out.
for f in layer0_input.npy layer0_input.hex layer0_expected.npy layer0_expected.hex bcast_events.txt pe4_events.txt; do
  [ -s "$T/c1/$f" ] || { echo "FAIL: $f missing from the pack"; fails=$((fails + 1)); }
done
expect 0 "5 PEs" -- "$EIE" gen --config "$T/cfg.json" --random 64x64 --no-events -o "$T/c4"
[ ! -e "$T/c4/pe0_events.txt" ] || { echo "FAIL: --no-events wrote event files"; fails=$((fails + 1)); }
expect 0 "match" -- "$EIE" run "$T/c4"
# --no-hex leaves out every .hex file (the $readmemh images and host traces), which no run
# reads: the pack runs and checks, and says so; the testbench script refuses it. A pack that
# lists .hex files lists all its images: one left out (file and entry) is refused by eie check.
expect 0 "5 PEs" -- "$EIE" gen --config "$T/cfg.json" --random 64x64 --no-hex -o "$T/c5"
check "--no-hex: no .hex file in the pack" [ -z "$(ls "$T/c5" | grep '\.hex$')" ]
check "--no-hex: no .hex file in the manifest" [ "$(grep -c '\.hex"' "$T/c5/manifest.json")" = 0 ]
check "--no-hex: the npy arrays and event files are those of a whole pack" \
  [ "$(run_files "$T/c5")" = "$(run_files "$T/c1")" ]
expect 0 "match" -- "$EIE" run "$T/c5"
expect 0 "sound \(5 PEs, 1 layers, with event files, without \.hex files\)" -- "$EIE" check "$T/c5"
expect 0 "sound \(5 PEs, 1 layers, with event files, with \\\$readmemh images\)" -- "$EIE" check "$T/c1"
expect1 3 "no \\\$readmemh images \(made with eie gen --no-hex\)" -- "$root/scripts/tb.sh" --pack "$T/c5" --eie "$EIE"
cp -r "$T/c1" "$T/c6"
rm "$T/c6/pe3_act.hex"
$PY - "$T/c6/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); del m["files"]["pe3_act.hex"]; json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
expect1 3 "no sha256 for pe3_act.hex" -- "$EIE" check "$T/c6"
# An event stream that differs from the run (file edited, hash updated) is a mismatch: exit 1,
# naming the file, the event and both values; on the RTL alone too when it is built.
# edit_event PACK FILE N FIELD: add 1 to field FIELD of event N of FILE, update its sha256.
edit_event() {
  $PY - "$@" <<'PY'
import hashlib, json, sys
d, name, n, field = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
p = d + "/" + name
lines = open(p).read().splitlines()
i = [k for k, l in enumerate(lines) if not l.startswith("//")][n]
f = lines[i].split(); f[field] = str(int(f[field]) + 1); lines[i] = " ".join(f)
open(p, "w").write("\n".join(lines) + "\n")
m = json.load(open(d + "/manifest.json"))
m["files"][name]["sha256"] = hashlib.sha256(open(p, "rb").read()).hexdigest()
json.dump(m, open(d + "/manifest.json", "w"), indent=2)
PY
}
cp -r "$T/c1" "$T/ev"
edit_event "$T/ev" pe2_events.txt 1 5
expect 1 "pe2_events.txt: event 1 \(line [0-9]+\): expected 'ACC .*', the run gives 'ACC " -- "$EIE" run "$T/ev"
# The ends of the streams: a line more than the run gives, a line fewer.
ev_lines() {  # ev_lines DIR FILE append|drop: one event line more at the end, or the last one gone
  $PY - "$@" <<'PY'
import hashlib, json, sys
d, name, how = sys.argv[1:4]
p = d + "/" + name
lines = open(p).read().splitlines()
if how == "append":
    lines.append("WB 99999 0 0 1 5 0")
else:
    lines.pop()
open(p, "w").write("\n".join(lines) + "\n")
m = json.load(open(d + "/manifest.json"))
m["files"][name]["sha256"] = hashlib.sha256(open(p, "rb").read()).hexdigest()
json.dump(m, open(d + "/manifest.json", "w"), indent=2)
PY
}
rm -rf "$T/ev_more" "$T/ev_fewer" && cp -r "$T/c1" "$T/ev_more" && cp -r "$T/c1" "$T/ev_fewer"
ev_lines "$T/ev_more" pe1_events.txt append
expect 1 "pe1_events.txt: event [0-9]+ \(line [0-9]+\): expected 'WB 99999 0 0 1 5 0', the run gives '\(none\)'" -- "$EIE" run "$T/ev_more"
ev_lines "$T/ev_fewer" bcast_events.txt drop
expect 1 "bcast_events.txt: event [0-9]+ \(line [0-9]+\): expected '\(none\)', the run gives 'BCAST " -- "$EIE" run "$T/ev_fewer"
# What the readers take besides the written text: CR LF and CR CR LF line ends, a comment
# line among the events, no newline at the end. The run still matches (a line that is not
# the event's own text is parsed); a leading zero is a malformed line (exit 3).
ev_text() {  # ev_text DIR FILE crlf|zero
  $PY - "$@" <<'PY'
import hashlib, json, sys
d, name, how = sys.argv[1:4]
p = d + "/" + name
lines = open(p, newline="").read().splitlines()
ev = [k for k, l in enumerate(lines) if not l.startswith("//")]
if how == "crlf":
    lines.insert(ev[len(ev) // 2], "// a note among the events")
    text = "".join(l + ("\r\r\n" if k % 2 else "\r\n") for k, l in enumerate(lines)).rstrip("\n")
else:
    f = lines[ev[1]].split(" "); f[4] = "0" + f[4]; lines[ev[1]] = " ".join(f)
    text = "\n".join(lines) + "\n"
open(p, "w", newline="").write(text)
m = json.load(open(d + "/manifest.json"))
m["files"][name]["sha256"] = hashlib.sha256(open(p, "rb").read()).hexdigest()
json.dump(m, open(d + "/manifest.json", "w"), indent=2)
PY
}
rm -rf "$T/ev_crlf" "$T/ev_zero" && cp -r "$T/c1" "$T/ev_crlf" && cp -r "$T/c1" "$T/ev_zero"
ev_text "$T/ev_crlf" pe2_events.txt crlf
ev_text "$T/ev_crlf" bcast_events.txt crlf
expect 0 "on cmodel: match" -- "$EIE" run "$T/ev_crlf"
ev_text "$T/ev_zero" pe2_events.txt zero
expect 3 "pe2_events.txt: line 6: .index. is not a decimal integer in range" -- "$EIE" run "$T/ev_zero"
"$EIE" gen -q --random 64x64 --pes 4 --fifo-depth 2 -o "$T/evr"
if "$EIE" run "$T/evr" --engine rtl 2>&1 | grep -q "is not available"; then
  echo "skip: this eie has no RTL (the RTL event check runs in RTL builds)"
else
  expect 0 "on rtl: match" -- "$EIE" run "$T/evr" --engine rtl
  edit_event "$T/evr" bcast_events.txt 0 1
  # The RTL alone reports the first divergence from the pack's events in the house format.
  expect 1 "MISMATCH test=evr stream=bcast event=0 cycle=" -- "$EIE" run "$T/evr" --engine rtl
  expect 1 "cycle .* <-- first difference" -- "$EIE" run "$T/evr" --engine rtl
fi
finish

#!/usr/bin/env bash
# Help texts, command-line mistakes, and the trace of the paper's example.
set -u
. "$(dirname "$0")/lib.bash"
expect 0 "usage: eie COMMAND" -- "$EIE" --help
expect 0 "usage: eie gen" -- "$EIE" gen --help
expect 0 "usage: eie run" -- "$EIE" run --help
expect 0 "usage: eie check" -- "$EIE" check --help
expect1 3 "check: give exactly one pack directory" -- "$EIE" check
expect 0 "usage: eie trace" -- "$EIE" trace --help
expect 0 "parameter hash 0x[0-9a-f]{8} \(decimal [0-9]+\), the defaults" -- "$EIE" params
expect 3 "usage: eie COMMAND" -- "$EIE"
expect 3 "unknown command 'frobnicate'" -- "$EIE" frobnicate
expect 3 "-o DIR is required" -- "$EIE" gen --random 4x4
expect 3 "--pes '0' is not an integer in 1..256" -- "$EIE" gen --random 4x4 --pes 0 -o "$T/x"
expect 3 "--pes '300' is not an integer" -- "$EIE" gen --random 4x4 --pes 300 -o "$T/x"
expect 3 "--fifo-depth 'x' is not an integer" -- "$EIE" gen --random 4x4 --fifo-depth x -o "$T/x"
expect 3 "--density '1.5' is not a number" -- "$EIE" gen --random 4x4 --density 1.5 -o "$T/x"
expect 3 "--random '4by4' is not MxK" -- "$EIE" gen --random 4by4 -o "$T/x"
expect 3 "unknown parameter 'BOGUS'" -- "$EIE" gen --random 4x4 --param BOGUS=3 -o "$T/x"
expect 3 "PTR_DEPTH = 7 must be even" -- "$EIE" gen --random 4x4 --param PTR_DEPTH=7 -o "$T/x"
expect 3 "give one of" -- "$EIE" gen --random 4x4 --example paper -o "$T/x"
expect 3 "unknown example 'lenet'" -- "$EIE" gen --example lenet -o "$T/x"
expect 3 "see 'eie gen --help'" -- "$EIE" gen --bogus
expect 3 "manifest.json: cannot open" -- "$EIE" run "$T/none"
expect 3 "give exactly one pack" -- "$EIE" run
expect 0 "\| 3 \| RUN \| \(2, 256\) \| \(2, 256\) \|" -- "$EIE" trace --example paper
expect 0 "^3 BCAST layer=0 pass=0 j=2 a=256" -- "$EIE" trace --example paper --events
# eie trace --format: the same run as Markdown, CSV and JSON.
"$EIE" gen --example paper --pes 4 --fifo-depth 2 -q -o "$T/tp"
"$EIE" trace "$T/tp" --format csv >"$T/t.csv"
"$EIE" trace "$T/tp" --format json >"$T/t.json"
"$EIE" trace "$T/tp" >"$T/t.md"
$PY - "$T" <<'PY' >"$T/trace_check.txt" 2>&1
import csv, json, sys
t = sys.argv[1]
rows = list(csv.DictReader(open(t + "/t.csv")))
doc = json.load(open(t + "/t.json"))
md = [l for l in open(t + "/t.md") if l.startswith("| ") and not l.startswith("| cycle")]
assert doc["num_pe"] == 4, doc["num_pe"]
assert len(rows) == len(doc["cycles"]) == len(md) == 23, (len(rows), len(doc["cycles"]), len(md))
for r, c in zip(rows, doc["cycles"]):
    assert int(r["cycle"]) == c["cycle"] and r["ccu"] == c["ccu"]
    b = c["broadcast"]
    assert (r["bcast_j"], r["bcast_a"]) == ((str(b["j"]), str(b["a"])) if b else ("", ""))
    for k, p in enumerate(c["pe"]):
        assert int(r[f"pe{k}_queue"]) == p["queue"]
        a = p["acc"]
        assert r[f"pe{k}_acc_row"] == (str(a["row"]) if a else ""), (r, p)
        assert r[f"pe{k}_acc_value"] == (str(a["value"]) if a else "")
        w = p["wb"]
        assert r[f"pe{k}_wb_y"] == (str(w["y"]) if w else "")
c3 = doc["cycles"][3]
assert c3["ccu"] == "RUN" and c3["broadcast"] == {"j": 2, "a": 256}, c3
PY
check "eie trace --format csv, json and md agree cycle by cycle ($(tr '\n' ' ' <"$T/trace_check.txt" | cut -c1-200))" test ! -s "$T/trace_check.txt"
expect1 3 "--format 'xml' is not md, csv or json" -- "$EIE" trace "$T/tp" --format xml
expect1 3 "--format and --events do not go together" -- "$EIE" trace "$T/tp" --format csv --events
# Options that do not apply are refused, not ignored.
expect1 3 "--pes and --fifo-depth go with --example" -- "$EIE" trace "$T/tp" --pes 8
expect1 3 "--seed and --act-density go with --random" -- "$EIE" gen --example paper --seed 2 -o "$T/x"
expect1 3 "--relu/--no-relu do not go with" -- "$EIE" gen --example paper --no-relu -o "$T/x"
expect1 3 "--example paper is already compressed" -- "$EIE" gen --example paper --density 0.5 -o "$T/x"
# Every usage line names every option of its command.
for sub in gen run check trace params sweep; do
  "$EIE" $sub --help >"$T/help_$sub.txt"
  usage=$(sed -n '1,/^$/p' "$T/help_$sub.txt")
  missing=
  # An option documented as "-o, --output" may appear in the usage line as -o.
  while read -r short long; do
    [ "$short" = - ] && short=$long
    printf '%s' "$usage" | grep -qE -- "$long|$short( |\]|$)" || missing="$missing $long"
  done < <(grep -oE '^ +(-[a-z], )?--[a-z-]+' "$T/help_$sub.txt" | sed -E 's/^ +//; s/^(-[a-z]), /\1 /; s/^(--)/- \1/' | sort -u)
  check "eie $sub's usage line lists every option it documents${missing:+ (missing:$missing)}" test -z "$missing"
done
# Every program answers --help with exit 0.
bin=$(dirname "$EIE")
for p in eie eie_bench eie_sc_run eie_vp eie_batch; do
  [ -x "$bin/$p" ] || continue
  expect 0 "usage" -- "$bin/$p" --help
done
finish

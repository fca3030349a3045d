#!/usr/bin/env bash
# The debug loop: --max-cycles exact on every engine, one --json shape, the RTL
# alone reporting the first divergence from the pack's events, the model's VCD
# and the RTL's FST on one time axis, make waves PACK= with the view at the
# divergence, eie params for any configuration.
set -u
. "$(dirname "$0")/lib.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
rtl=0
"$EIE" params --rtl-builds 2>/dev/null | grep -q '^small NUM_PE=4 FIFO_DEPTH=2 ' && rtl=1
engines=cmodel
[ "$rtl" = 1 ] && engines="cmodel rtl both"
[ "$rtl" = 1 ] || echo "note: no 4-PE FIFO-2 RTL build in this eie: the RTL checks are left out"

"$EIE" gen --example paper --pes 4 --fifo-depth 2 -q -o "$T/p" || { echo "FAIL: gen"; exit 1; }
cycles=$("$EIE" run "$T/p" --json | sed -n 's/.*"cycles":\([0-9]*\).*/\1/p')
check "the run has a cycle count" test -n "$cycles"

# --max-cycles N: a run of exactly N cycles passes, N-1 times out (exit 2) on every engine.
for en in $engines; do
  expect 0 "match" -- "$EIE" run "$T/p" --engine "$en" --max-cycles "$cycles"
  expect1 2 "no DONE within $((cycles - 1)) cycles" -- "$EIE" run "$T/p" --engine "$en" --max-cycles $((cycles - 1))
  expect1 2 "no DONE within 1 cycles" -- "$EIE" run "$T/p" --engine "$en" --max-cycles 1
done

# One JSON shape for every engine: the same keys (nested ones too), null when absent.
for en in $engines; do "$EIE" run "$T/p" --engine "$en" --json >"$T/$en.json"; done
$PY - "$T" $engines <<'PY' >"$T/shape.txt" 2>&1
import json, sys
t, engines = sys.argv[1], sys.argv[2:]
def keys(o, pre=""):
    out = set()
    for k, v in o.items():
        out.add(pre + k)
        if isinstance(v, dict):
            out |= keys(v, pre + k + ".")
    return out
docs = {e: json.load(open(f"{t}/{e}.json")) for e in engines}
want = {"cycles", "cycles_model", "sim_seconds", "match", "mismatches", "events_compared", "event_mismatches",
        "load_clocks", "run_start_time", "rtl_seed", "coverage", "first_divergence", "engine", "pack",
        "macs", "entries", "per_pe", "work_bound_cycles"}
base = set(docs["cmodel"])
for e, d in docs.items():
    missing = want - set(d)
    if missing: print(f"{e}: missing {sorted(missing)}")
    if set(d) != base: print(f"{e}: top-level keys differ from cmodel's: {sorted(set(d) ^ base)}")
    if d["engine"] != e: print(f"{e}: engine {d['engine']}")
for e in engines[1:]:
    c = docs[e]["coverage"]
    if not isinstance(c, dict) or len(c) != 7: print(f"{e}: coverage {c}")
if docs["cmodel"]["coverage"] is not None: print("cmodel: coverage is not null")
if "rtl" in docs and docs["rtl"]["macs"] is not None: print("rtl: statistics are not null")
if "both" in docs and docs["both"]["macs"] != docs["cmodel"]["macs"]: print("both: statistics differ from the model's")
PY
check "one JSON shape for every engine ($engines): $(tr '\n' ' ' <"$T/shape.txt")" test ! -s "$T/shape.txt"

# An edited event file (value of PE 2's second event + 1, hash updated).
cp -r "$T/p" "$T/q"
$PY - "$T/q" <<'PY'
import hashlib, json, sys
d = sys.argv[1]
lines = open(d + "/pe2_events.txt").read().splitlines()
body = [i for i, l in enumerate(lines) if not l.startswith("//")]
f = lines[body[1]].split(); f[5] = str(int(f[5]) + 1); lines[body[1]] = " ".join(f)
open(d + "/pe2_events.txt", "w").write("\n".join(lines) + "\n")
m = json.load(open(d + "/manifest.json"))
m["files"]["pe2_events.txt"]["sha256"] = hashlib.sha256(open(d + "/pe2_events.txt", "rb").read()).hexdigest()
json.dump(m, open(d + "/manifest.json", "w"), indent=2)
PY
div_cycle=$(grep -v '^//' "$T/p/pe2_events.txt" | sed -n 2p | cut -d' ' -f2)
expect 1 "pe2_events.txt: event 1" -- "$EIE" run "$T/q"
if [ "$rtl" = 1 ]; then
  # The RTL alone: the first divergence in the house format, the command that shows most.
  expect 1 "MISMATCH test=q pe=2 event=1 cycle=$div_cycle" -- "$EIE" run "$T/q" --engine rtl
  expect 1 "value .* <-- first difference" -- "$EIE" run "$T/q" --engine rtl
  expect 1 "rerun with waves: make waves PACK=$T/q" -- "$EIE" run "$T/q" --engine rtl
  expect 1 "rerun with waves: make waves TEST=fc_x" -- "$EIE" run "$T/q" --engine rtl --name fc_x
  expect 1 "\"first_divergence\":\\{\"cycle\":$div_cycle,\"pe\":2," -- "$EIE" run "$T/q" --engine rtl --json
  expect 1 "open the view at the divergence with  gtkwave $T/r.fst $T/r.fst.gtkw" -- \
    "$EIE" run "$T/q" --engine rtl --trace "$T/r.fst"
  t0=$(sed -n 's/.*"run_start_time":\([0-9]*\).*/\1/p' "$T/rtl.json")
  check "the trace view starts at cycle 0" grep -qx "\[timestart\] $t0" "$T/r.fst.gtkw"
  check "the trace view marks the start of cycle $div_cycle" grep -qx "\[markertime\] $((t0 + 10 * div_cycle))" "$T/r.fst.gtkw"

  # The model's VCD and the RTL's FST: one time unit, the same time for the same cycle.
  "$EIE" run "$T/p" --trace "$T/m.vcd" >/dev/null
  "$EIE" run "$T/p" --engine rtl --trace "$T/p.fst" >/dev/null
  fst2vcd "$T/p.fst" >"$T/p_fst.vcd" 2>/dev/null
  first_time() { # VCD, value: the time top.eie_top.u_ccu.cycles_q first takes that value
    awk -v want="$2" '
      /\$scope/ { s[++d] = $3 } /\$upscope/ { d-- }
      /\$var/ { n = ""; for (i = 1; i <= d; i++) n = n s[i] "."; if (n $5 == "top.eie_top.u_ccu.cycles_q") id[$4] = 1 }
      /^#/ { t = substr($1, 2) }
      /^b/ && ($2 in id) { v = 0; b = substr($1, 2); for (i = 1; i <= length(b); i++) v = 2 * v + substr(b, i, 1)
                          if (v == want) { print t; exit } }' "$1"
  }
  for c in 1 5 $((cycles - 1)); do
    tm=$(first_time "$T/m.vcd" "$c") tr=$(first_time "$T/p_fst.vcd" "$c")
    check "cycle $c at the same time in the model's VCD ($tm) and the RTL's FST ($tr), t0 + 10 c" \
      test -n "$tm" -a "$tm" = "$tr" -a "$tm" = "$((t0 + 10 * c))"
  done
  check "the same time unit" test "$(grep -A1 -m1 timescale "$T/p_fst.vcd" | tr -d ' \t\n$' | sed 's/timescale//;s/end//')" = 1ps
  check "the model's VCD in ps" grep -q 'timescale 1ps' "$T/m.vcd"

  # make waves PACK=: the FST, and a view of the diverging PE with the marker at its cycle.
  bash "$root/scripts/waves.sh" --build "$(dirname "$(dirname "$EIE")")" --pack "$T/q" --out "$T/w" >"$T/waves.log" 2>&1
  last=$(tail -n 1 "$T/waves.log")
  check "make waves PACK= ends with the command that opens the view ($last)" \
    test "$last" = "gtkwave $T/w/q.fst $T/w/pe.pe2.gtkw"
  check "the FST is written" test -s "$T/w/q.fst"
  check "the view shows PE 2" grep -q 'g_pe\[2\]\.u_pe' "$T/w/pe.pe2.gtkw"
  check "the view shows no other PE" test "$(grep -c 'g_pe\[[013]\]' "$T/w/pe.pe2.gtkw")" = 0
  check "the view's marker is at the start of cycle $div_cycle" grep -qx "\[markertime\] $((t0 + 10 * div_cycle))" "$T/w/pe.pe2.gtkw"
  check "the view starts at cycle 0" grep -qx "\[timestart\] $t0" "$T/w/pe.pe2.gtkw"
  bash "$root/scripts/waves.sh" --build "$(dirname "$(dirname "$EIE")")" --pack "$T/q" --out "$T/w" --view queues --pe 1 >"$T/waves.log" 2>&1
  check "PE=1 VIEW=queues" test "$(tail -n 1 "$T/waves.log")" = "gtkwave $T/w/q.fst $T/w/queues.pe1.gtkw"
  expect 3 "PE=9: this configuration has no such PE" -- bash "$root/scripts/waves.sh" --build "$(dirname "$(dirname "$EIE")")" --pack "$T/q" --out "$T/w" --pe 9
  expect 3 "is not a vector pack" -- bash "$root/scripts/waves.sh" --build "$(dirname "$(dirname "$EIE")")" --pack "$T" --out "$T/w"
  expect 3 "no test 'no_such_test'" -- bash "$root/scripts/waves.sh" --build "$(dirname "$(dirname "$EIE")")" --test no_such_test --out "$T/w2"

  # eie params for any configuration: the small RTL build's hash, in hex and decimal.
  h=$("$EIE" params --rtl-builds | sed -n 's/^small .*param_hash \(0x[0-9a-f]*\) (\([0-9]*\))$/\1 \\(decimal \2\\)/p')
  expect 0 "parameter hash $h" -- "$EIE" params --pes 4 --fifo-depth 2
fi
echo '{"NUM_PE": 4, "FIFO_DEPTH": 2}' >"$T/cfg.json"
expect 0 "NUM_PE +4 " -- "$EIE" params --config "$T/cfg.json"
expect 0 "FIFO_DEPTH +3 " -- "$EIE" params --config "$T/cfg.json" --fifo-depth 3
expect 0 "RF_DEPTH +32 " -- "$EIE" params --param RF_DEPTH=32
expect 0 "parameter hash 0x[0-9a-f]{8} \(decimal [0-9]+\)" -- "$EIE" params --pes 16
expect1 3 "--pes '0' is not an integer" -- "$EIE" params --pes 0
expect1 3 "--sv prints the defaults' package" -- "$EIE" params --sv --pes 4
finish

#!/usr/bin/env bash
# The standalone testbench's checks, each shown passing and failing, under one simulator
# (CTest tb.iverilog, tb.verilator):
#   positive  the packs of readmemh.list pass with bus loading and with the backdoor preload,
#             with identical outputs, equal to expected.hex
#   hash      a pack made for other parameters (ACT_SRAM_DEPTH=512) fails on RTL=small
#   outputs   an edited expected.hex fails, naming the edited output
#   events    an edited event file fails with the first divergence at the edited event and cycle
#   fault     an RTL fault (EIE_TEST_FAULT_PE0_ACT, a test-only build) fails on events and outputs
#   timeout   no DONE within +max_cycles (exit 2)
#   input     a pack without param_hash.hex or host_load.hex is bad input (exit 3)
#   outputs-only (iverilog) a build without the observation port (EIE_TB_OUTPUTS_ONLY) still checks outputs
#
#   tb_checks.sh SIM BUILD WORK     (BUILD: the CMake build tree with bin/eie)
set -uo pipefail
sim=$1 build=$2 work=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
eie=$build/bin/eie
tb() { "$root/scripts/tb.sh" --build "$build" --sim "$sim" "$@"; }
rm -rf "$work" && mkdir -p "$work"
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
# expect CODE NAME LOG [grep-pattern...]: the last run's exit status and log lines.
expect() {
  local code=$1 name=$2 log=$3 rc
  rc=$(tail -n 1 "$log" | sed -n 's/^rc=//p')
  shift 3
  if [ "$rc" != "$code" ]; then bad "$name: exit $rc, expected $code ($log)"; return; fi
  for p in "$@"; do
    grep -qE -- "$p" "$log" || { bad "$name: no line matching '$p' ($log)"; return; }
  done
  ok "$name (exit $rc)"
}
run() {  # run LOG tb-arguments...: the log keeps the output and "rc=N"
  local log=$1
  shift
  tb "$@" >"$log" 2>&1
  echo "rc=$?" >>"$log"
}

# ---- positive: bus and preload on every pack of the list ----
mapfile -t entries < <(grep -v '^[[:space:]]*\(#\|$\)' "$root/verif/rtl/readmemh.list")
for e in "${entries[@]}"; do
  read -r name args <<<"$e"
  # shellcheck disable=SC2086
  "$eie" gen $args -q -o "$work/$name" || { bad "gen $name"; continue; }
  grep -v '^//' "$work/$name/expected.hex" >"$work/$name.expected"
  for mode in bus preload; do
    flag=()
    [ $mode = preload ] && flag=(--preload)
    run "$work/$name.$mode.log" --pack "$work/$name" "${flag[@]}" --work "$work/$name.$mode"
    expect 0 "positive $name ($mode)" "$work/$name.$mode.log" '^EIE-TB PASS: [0-9]+ outputs match, [0-9]+ events match'
    diff -q "$work/$name.expected" "$work/$name.$mode/rtl_output.hex" >/dev/null \
      || bad "positive $name ($mode): rtl_output.hex differs from expected.hex"
    grep -h '^tb: PASS' "$work/$name.$mode.log"
  done
  cmp -s "$work/$name.bus/rtl_output.hex" "$work/$name.preload/rtl_output.hex" \
    && ok "bus and preload give identical outputs on $name" || bad "bus and preload outputs differ on $name"
  [ -n "$(find "$work/$name" -newer "$work/$name.expected" -type f)" ] && bad "the testbench wrote into the pack $name"
done
base=$work/$(read -r n _ <<<"${entries[0]}"; echo "$n")

# ---- hash: a pack for other parameters on RTL=small ----
"$eie" gen --example paper --pes 4 --fifo-depth 2 --param ACT_SRAM_DEPTH=512 -q -o "$work/act512"
small=$("$eie" params --pes 4 --fifo-depth 2 --hash | cut -d' ' -f1)
other=$("$eie" params --config "$work/act512/manifest.json" --hash | cut -d' ' -f1)
run "$work/hash.log" --pack "$work/act512" --rtl small --work "$work/hash"
expect 1 "hash: ACT_SRAM_DEPTH=512 pack on RTL=small" "$work/hash.log" \
  "^EIE-TB FAIL: PARAM_HASH: the DUT reads $small .*the pack needs $other"

# ---- outputs: an edited expected.hex ----
cp -r "$base" "$work/edit_out"
n_out=$(grep -vc '^//' "$base/expected.hex")
k=$((n_out / 2))
awk -v k="$k" '/^\/\// { print; next } { if (i++ == k) print ($1 == "7fff" ? "7ffe" : "7fff"); else print }' \
  "$base/expected.hex" >"$work/edit_out/expected.hex"
run "$work/outputs.log" --pack "$work/edit_out" --work "$work/outputs"
expect 1 "outputs: expected.hex output $k edited" "$work/outputs.log" \
  "^EIE-TB first output difference: output $k " "^EIE-TB FAIL: 1 of $n_out outputs differ, 0 of [0-9]+ events differ"

# ---- events: an edited event file (PE 1's third event: value + 1) ----
cp -r "$base" "$work/edit_ev"
line=$(grep -v '^//' "$base/pe1_events.txt" | sed -n 3p)
read -r kind cyc _ <<<"$line"
awk '/^\/\// { print; next } { if (++i == 3) $6 = $6 + 1; print }' "$base/pe1_events.txt" >"$work/edit_ev/pe1_events.txt"
run "$work/events.log" --pack "$work/edit_ev" --work "$work/events"
expect 1 "events: pe1_events.txt event 2 ($kind at cycle $cyc) edited" "$work/events.log" \
  "^MISMATCH test=edit_ev pe=1 event=2 cycle=$cyc\$" "^  value .*<-- first difference" \
  "^EIE-TB FAIL: 0 of [0-9]+ outputs differ, 1 of [0-9]+ events differ"

# ---- fault: a test-only RTL build with a fault in PE 0 ----
run "$work/fault.log" --pack "$base" --define EIE_TEST_FAULT_PE0_ACT --work "$work/fault"
expect 1 "fault: EIE_TEST_FAULT_PE0_ACT build" "$work/fault.log" \
  "^MISMATCH test=[^ ]+ pe=0 event=[0-9]+ cycle=[0-9]+" "<-- first difference" \
  "^EIE-TB FAIL: [1-9][0-9]* of [0-9]+ outputs differ, [1-9][0-9]* of [0-9]+ events differ"

# ---- timeout: no DONE within 5 cycles ----
run "$work/timeout.log" --pack "$base" --plusarg +max_cycles=5 --work "$work/timeout"
expect 2 "timeout: +max_cycles=5" "$work/timeout.log" "^EIE-TB FAIL \(timeout\): no DONE within 5 cycles"

# ---- bad input ----
cp -r "$base" "$work/no_hash" && rm "$work/no_hash/param_hash.hex"
run "$work/nohash.log" --pack "$work/no_hash" --work "$work/nohash"
expect 3 "input: no param_hash.hex" "$work/nohash.log" "no param_hash.hex"
cp -r "$base" "$work/no_load" && rm "$work/no_load/host_load.hex"
run "$work/noload.log" --pack "$work/no_load" --work "$work/noload"
expect 3 "input: no host_load.hex (the testbench's own check)" "$work/noload.log" \
  "^EIE-TB FAIL \(bad input\): .*host_load.hex: no such file"

# ---- a DUT without the observation port: outputs only (iverilog: builds in seconds) ----
if [ "$sim" = iverilog ]; then
  run "$work/obs.log" --pack "$base" --define EIE_TB_OUTPUTS_ONLY --work "$work/obs"
  expect 0 "outputs only (EIE_TB_OUTPUTS_ONLY)" "$work/obs.log" "^EIE-TB PASS: [0-9]+ outputs match, no X on outputs \(events not checked\)"
  run "$work/obs_out.log" --pack "$work/edit_out" --define EIE_TB_OUTPUTS_ONLY --work "$work/obs_out"
  expect 1 "outputs only, edited expected.hex" "$work/obs_out.log" "^EIE-TB FAIL: 1 of $n_out outputs differ"
fi

if [ $fails -eq 0 ]; then echo "tb_checks ($sim): all checks pass and every negative case fails as it must"; exit 0; fi
echo "tb_checks ($sim): $fails FAILED (logs in $work)"
exit 1

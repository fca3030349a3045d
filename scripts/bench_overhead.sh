#!/usr/bin/env bash
# Per-pack overhead (part of make bench, scripts/bench.sh): the whole `eie run` process on
# a 1000x4096 layer, 25 % weights, 64 PEs (with and without the event files), best of 7
# wall times, with the simulation's share; and the regression's throughput: cases per
# second of the soak tier's C-model part (one test in 100 of it, --shard 1/100) and of
# make sim (the default tier).
#   scripts/bench_overhead.sh BUILD      rows on stdout, in bench.sh's summary format
# REGRESS=path/to/regress.sh times another regression driver (a baseline's), BENCH_OUT=DIR
# puts the packs and logs there instead of BUILD/bench.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
eie=$build/bin/eie
out=${BENCH_OUT:-$build/bench}
regress=${REGRESS:-$root/sim/regress.sh}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p "$out"
args=(--random 1000x4096 --density 0.25 --act-density 0.35 --seed 1 --pes 64 --fifo-depth 8)
for p in ovh_events ovh_noevents; do
  extra=()
  [ $p = ovh_noevents ] && extra=(--no-events)
  grep -qs '"schema_version": 2' "$out/$p/manifest.json" || "$eie" gen "${args[@]}" "${extra[@]}" -q -o "$out/$p"
done
# best N PACK: the smallest wall time of N whole `eie run PACK --json` processes, in ms,
# and that run's sim_seconds in ms; every run must match.
best() {
  local n=$1 pack=$2 best= sim= t0 t1 ms json
  for _ in $(seq "$n"); do
    t0=$EPOCHREALTIME
    json=$("$eie" run "$pack" --json)
    t1=$EPOCHREALTIME
    [[ $json == *'"match":true'* ]] || { echo "bench_overhead: $pack does not match" >&2; exit 1; }
    ms=$(( (${t1//[!0-9]/} - ${t0//[!0-9]/}) / 1000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then
      best=$ms
      [[ $json =~ \"sim_seconds\":([0-9.e+-]+) ]] && sim=${BASH_REMATCH[1]}
    fi
  done
  echo "$best $sim"
}
read -r noev_ms noev_sim < <(best 7 "$out/ovh_noevents")
read -r ev_ms ev_sim < <(best 7 "$out/ovh_events")
# cases PER_SECOND_OF: regress.sh ARGS..., timed whole; prints cases/s.
cases() {
  local t0 t1 n
  t0=$EPOCHREALTIME
  # Without RTL builds the default tier reports its RTL coverage points unhit (exit 1):
  # only failed tests count here.
  "$regress" --build "$build" --jobs "$jobs" "$@" >"$out/regress.log" 2>&1 || true
  t1=$EPOCHREALTIME
  grep -q '^regress: [0-9]* passed, 0 failed' "$out/regress.log" ||
    { echo "bench_overhead: regress.sh $* failed ($out/regress.log)" >&2; exit 1; }
  n=$(sed -n 's/^regress: \([0-9]*\) passed.*/\1/p' "$out/regress.log")
  awk -v n="$n" -v a="${t0//,/.}" -v b="${t1//,/.}" 'BEGIN { printf "%.2f", n / (b - a) }'
}
soak=$(cases --tier soak --filter 'soak_(pe|rf)' --shard 1/100 --out "$out/soak")
sim=$(cases --tier default --out "$out/sim")
awk -v nm="$noev_ms" -v ns="$noev_sim" -v em="$ev_ms" -v es="$ev_sim" -v soak="$soak" -v sim="$sim" \
    -v jobs="$jobs" 'BEGIN {
  printf "%-52s %10d ms (simulation %.1f ms; target <= 20)\n", "eie run 1000x4096 25 %, 64 PEs, no event files", nm, ns * 1e3
  printf "%-52s %10d ms (simulation %.1f ms; target <= 60)\n", "eie run 1000x4096 25 %, 64 PEs, event files", em, es * 1e3
  printf "%-52s %13.2f (%d jobs)\n", "soak, C-model part (1 test in 100): cases/s", soak, jobs
  printf "%-52s %13.2f (%d jobs)\n", "make sim (default tier): cases/s", sim, jobs
}'

#!/usr/bin/env bash
# Regression driver: expands a test list, runs every test in parallel (eie gen
# builds and checks a vector pack on the cycle model against the functional
# reference; eie run re-runs the pack from disk and compares), prints a summary
# table, writes JUnit XML, exits 1 if any test failed.
#
#   sim/regress.sh [--build DIR] [--tier default|full|soak] [--shard i/N] [--jobs J]
#                  [--filter REGEX | --test NAME] [--keep] [--out DIR] [--list]
#
# --filter REGEX runs the tests whose "NAME<TAB>CONFIG<TAB>eie-gen-arguments" line matches
# (make sim FILTER=REGEX); --test NAME runs the one test NAME (make sim TEST=NAME).
# --list prints those lines of the selected tests (tier, shard, filter) and runs nothing.
# A failing test keeps its pack in OUT/packs/NAME (and with WAVES=1 its FST in
# OUT/waves/NAME.fst, with the view NAME.fst.gtkw); --keep keeps them for passing tests too.
# Packs are made with eie gen --no-hex (no run reads the $readmemh images); a kept pack is
# whole (a failing test's is made again with them).
# OUT/logs/NAME.log is a test's log, OUT/logs/NAME.json its eie run --json result.
# OUT is BUILD/sim/TIER unless --out says otherwise.
#
# --shard i/N runs every N-th test starting at the i-th (1-based), so N machines
# (a CI matrix, a SLURM job array with i = $SLURM_ARRAY_TASK_ID) share one tier.
# Packs are made in a scratch directory under /dev/shm (EIE_REGRESS_SCRATCH=DIR: under DIR;
# =none: in OUT/packs directly); the kept ones end up in OUT/packs either way.
set -euo pipefail

# A worker runs a batch of tests in one shell, their eie commands in two eie processes (eie
# script: every test's gen, then the run of every pack made), as process starts would cost
# more than a small test's whole work. A test eie script did not finish (it crashed) runs
# again on its own, gen and run each a process, as do all when a path holds a blank.
#   --batch BUILD OUTDIR  NAME CONFIG ARGS  [NAME CONFIG ARGS ...]   (ARGS: one word, split here)
if [ "${1:-}" = "--batch" ]; then
  build=$2 out=$3
  shift 3
  eie=$build/bin/eie
  dir=${EIE_REGRESS_SCRATCH_DIR:-$out/packs}
  remove=()
  # gen_cmd NAME ARGS... / run_cmd NAME: a test's eie gen and eie run arguments, in cmd.
  gen_cmd() {
    local name=$1
    shift
    cmd=(gen "$@")
    # No run reads the $readmemh images: a pack is made without them unless it is kept.
    [ "${EIE_REGRESS_KEEP:-0}" = 1 ] || cmd+=(--no-hex)
    cmd+=(-q -o "$dir/$name")
  }
  run_cmd() {
    cmd=(run "$dir/$1" --engine auto --name "$1")
    [ "${WAVES:-0}" = 1 ] && cmd+=(--trace "$out/waves/$1.fst")
    cmd+=(--json)
  }
  # tenk S.FFFF...: add eie script's "STATUS S.FFFF" seconds to t, in units of 100 us (bash
  # has no floating point; no command substitution, a fork a test).
  tenk() { t=$(( t + ${1%.*} * 10000 + 10#${1#*.} )); }
  # finish NAME CONFIG GEN_RC RUN_RC TIME ARGS...: record one test whose gen exited GEN_RC and
  # run RUN_RC (- when it did not run) in TIME (units of 100 us), logs in OUT/logs.
  finish() {
    local name=$1 config=$2 grc=$3 rrc=$4 cs=$(( ($5 + 50) / 100 ))
    shift 5
    local pack="$dir/$name" log="$out/logs/$name.log"
    local result=pass cycles=- msg= engine=cmodel cov= json= p
    if [ "$grc" != 0 ]; then
      result=fail msg="eie gen failed: $(tail -n 1 "$log")"
    elif [ "$rrc" != 0 ]; then
      result=fail msg="eie run failed: $(grep -m1 -E 'MISMATCH|eie:' "$log" || tail -n 1 "$log")"
    fi
    # Read without a subshell (a fork a test).
    [ ! -s "$out/logs/$name.json" ] || IFS= read -r -d '' json <"$out/logs/$name.json" || true
    if [ -n "$json" ]; then
      cycles= engine=
      [[ $json =~ \"cycles\":\ *([0-9]*) ]] && cycles=${BASH_REMATCH[1]}
      [[ $json =~ \"engine\":\ *\"([a-z]*)\" ]] && engine=${BASH_REMATCH[1]}
      if [ "$engine" != cmodel ]; then
        for p in queue_full stall bypass padding empty_column lnzd_idle multi_pass; do
          local v=
          [[ $json =~ \"$p\":\ *([0-9]*) ]] && v=${BASH_REMATCH[1]}
          cov="$cov $v"
        done
      fi
    fi
    # A failing test's pack is kept whole: made again with its images (eie gen is deterministic:
    # the same files, and the images).
    if [ "$result" != pass ] && [ "${EIE_REGRESS_KEEP:-0}" != 1 ] && [ -d "$pack" ] &&
       ! "$eie" gen "$@" -q -o "$pack" >>"$log" 2>&1; then
      msg="$msg (and eie gen without --no-hex failed: the pack has no \$readmemh images)"
    fi
    # A pack made in the scratch directory and kept goes to OUT/packs, its log naming it there.
    if [ "$pack" != "$out/packs/$name" ] && [ -d "$pack" ] &&
       { [ "$result" != pass ] || [ "${EIE_REGRESS_KEEP:-0}" = 1 ]; }; then
      rm -rf "$out/packs/$name" && mv "$pack" "$out/packs/$name" &&
        sed -i "s#${pack//#/\\#}#$out/packs/$name#g" "$log"
      [ "$result" = pass ] || msg=${msg//"$pack"/"$out/packs/$name"}
      pack="$out/packs/$name"
    fi
    # On the C model alone (no RTL build for the configuration) the trace is the model's VCD.
    if [ "${WAVES:-0}" = 1 ] && [ "$engine" = cmodel ] && [ -f "$out/waves/$name.fst" ]; then
      mv "$out/waves/$name.fst" "$out/waves/$name.vcd"
    fi
    # Tabs separate fields; none may be empty (read would merge them).
    printf '%s\t%s\t%s\t%s\t%d.%02d\t%s\t%s\t%s\t%s\n' "$name" "$config" "$cycles" "$result" \
      $((cs / 100)) $((cs % 100)) "${msg:--}" "${engine:--}" "${cov:--}" "$*" >"$out/results/$name.tsv"
    # Keep failing packs (and FSTs) only, unless --keep.
    if [ "$result" = pass ] && [ "${EIE_REGRESS_KEEP:-0}" != 1 ]; then
      remove+=("$pack" "$out/waves/$name.fst" "$out/waves/$name.fst.gtkw" "$out/waves/$name.vcd")
    fi
  }
  # alone NAME CONFIG ARGS...: one test, gen and run each a process of its own.
  alone() {
    local name=$1 config=$2 t0=$EPOCHREALTIME grc=0 rrc=- cmd
    shift 2
    gen_cmd "$name" "$@"
    "$eie" "${cmd[@]}" >"$out/logs/$name.log" 2>&1 || grc=$?
    if [ "$grc" = 0 ]; then
      rrc=0
      run_cmd "$name"
      "$eie" "${cmd[@]}" >"$out/logs/$name.json" 2>>"$out/logs/$name.log" || rrc=$?
    fi
    finish "$name" "$config" "$grc" "$rrc" $(( (${EPOCHREALTIME//[!0-9]/} - ${t0//[!0-9]/}) / 100 )) "$@"
  }
  names=() configs=() argv=()
  while [ $# -ge 3 ]; do
    names+=("$1") configs+=("$2") argv+=("$3")
    shift 3
  done
  n=${#names[@]}
  # eie script's lines: words without blanks (no quoting), so only when no path has one.
  if [[ "$dir$out$eie" == *[[:space:]]* ]]; then
    for ((i = 0; i < n; i++)); do
      # shellcheck disable=SC2086
      alone "${names[i]}" "${configs[i]}" ${argv[i]}
    done
  else
    list="$dir/.script$BASHPID"
    remove+=("$list.gen" "$list.run" "$list.gst" "$list.rst")
    for ((i = 0; i < n; i++)); do
      # shellcheck disable=SC2086
      gen_cmd "${names[i]}" ${argv[i]}
      echo "${cmd[*]} >$out/logs/${names[i]}.log 2>&1"
    done >"$list.gen"
    "$eie" script "$list.gen" >"$list.gst" || true
    mapfile -t gst <"$list.gst"
    for ((i = 0; i < ${#gst[@]}; i++)); do
      if [ "${gst[i]%% *}" = 0 ]; then # the packs made
        run_cmd "${names[i]}"
        echo "${cmd[*]} >$out/logs/${names[i]}.json 2>>$out/logs/${names[i]}.log"
      fi
    done >"$list.run"
    "$eie" script "$list.run" >"$list.rst" || true
    mapfile -t rst <"$list.rst"
    r=0
    for ((i = 0; i < n; i++)); do
      # shellcheck disable=SC2086
      if [ "$i" -ge ${#gst[@]} ] || { [ "${gst[i]%% *}" = 0 ] && [ "$r" -ge ${#rst[@]} ]; }; then
        alone "${names[i]}" "${configs[i]}" ${argv[i]} # eie script stopped before this test
      elif [ "${gst[i]%% *}" != 0 ]; then
        t=0 && tenk "${gst[i]#* }"
        finish "${names[i]}" "${configs[i]}" "${gst[i]%% *}" - "$t" ${argv[i]}
      else
        t=0 && tenk "${gst[i]#* }" && tenk "${rst[r]#* }"
        finish "${names[i]}" "${configs[i]}" 0 "${rst[r]%% *}" "$t" ${argv[i]}
        r=$((r + 1))
      fi
    done
  fi
  [ ${#remove[@]} -eq 0 ] || rm -rf "${remove[@]}"
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
build=build tier=default shard=1/1 list_only=0 jobs=$(nproc 2>/dev/null || echo 2) filter=. outdir= test= keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --tier) tier=$2; shift 2 ;;
    --shard) shard=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --test) test=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --list) list_only=1; shift ;;
    --out) outdir=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "regress.sh: unknown option '$1'" >&2; exit 3 ;;
  esac
done
list="$here/tests/$tier.list"
[ -f "$list" ] || { echo "regress.sh: no test list $list (tiers: $(ls "$here/tests" | sed 's/\.list//' | tr '\n' ' '))" >&2; exit 3; }
[[ "$shard" =~ ^([0-9]+)/([0-9]+)$ ]] || { echo "regress.sh: --shard '$shard' is not i/N" >&2; exit 3; }
si=${BASH_REMATCH[1]} sn=${BASH_REMATCH[2]}
[ "$si" -ge 1 ] && [ "$si" -le "$sn" ] || { echo "regress.sh: --shard $shard: need 1 <= i <= N" >&2; exit 3; }

# Expand the list into "NAME<TAB>CONFIG<TAB>ARGS" lines (awk: the soak tier's 10,600 lines
# take bash half a second). "@random CONFIG COUNT ARGS" makes COUNT layers whose shape,
# density and seed follow from the index; other lines name a test, CONFIG peN from --pes N.
expand() {
  awk -v dir="$here/tests" -v list="$1" '
    # expand(FILE): print the tests of FILE.
    function expand(f,    line, n, w, i, s, m, k, d, cfg, count, args, r) {
      while ((r = (getline line < f)) > 0) {
        sub(/#.*/, "", line)
        n = split(line, w)
        if (n == 0) continue
        if (w[1] == "@include") { expand(dir "/" w[2]); continue }
        args = ""
        if (w[1] == "@random") {
          cfg = w[2]; count = w[3]
          for (i = 4; i <= n; i++) args = args (i > 4 ? " " : "") w[i]
          for (s = 1; s <= count; s++) {
            m = 8 + (s * 7919 + length(cfg) * 31) % 377
            k = 8 + (s * 104729 + length(cfg) * 17) % 293
            d = 1 + (s * 37) % 60
            printf "fc_%dx%d_d%d_s%d_%s\t%s\t--random %dx%d --density 0.%02d --act-density 0.%02d --seed %d %s\n",
              m, k, d, s, cfg, cfg, m, k, d, 10 + (s * 13) % 80, s, args
          }
          continue
        }
        for (i = 2; i <= n; i++) args = args (i > 2 ? " " : "") w[i]
        cfg = "pe64"
        if (match(args, /--pes [0-9]+/)) cfg = "pe" substr(args, RSTART + 6, RLENGTH - 6)
        printf "%s\t%s\t%s\n", w[1], cfg, args
      }
      if (r < 0) { printf "regress.sh: cannot read %s\n", f > "/dev/stderr"; exit 3 }
      close(f)
    }
    BEGIN { expand(list) }
  '
}
[ -n "$test" ] && [ "$filter" != . ] && { echo "regress.sh: give --filter or --test, not both" >&2; exit 3; }
export EIE_REGRESS_KEEP=$keep
# Expanded, filtered and sharded in one pipeline (the whole list never held in a variable);
# only the expansion's failure (exit 3, its message printed) stops the run.
tests=$(expand "$list" | { grep -E -- "$filter" || true; } |
          awk -F'\t' -v t="$test" -v i="$si" -v n="$sn" 't == "" || $1 == t { if (m++ % n == i - 1) print }'
        exit "${PIPESTATUS[0]}") || exit 3
# --list: the selected tests, one "NAME<TAB>CONFIG<TAB>eie-gen-arguments" line each; nothing run.
if [ "$list_only" = 1 ]; then
  printf '%s' "$tests${tests:+$'\n'}"
  exit 0
fi
[ -x "$build/bin/eie" ] || { echo "regress.sh: $build/bin/eie not built (run make build)" >&2; exit 3; }
build=$(cd "$build" && pwd)
out="$build/sim/$tier"
[ "$sn" -gt 1 ] && out="$out.shard$si"
[ -n "$outdir" ] && out=$(mkdir -p "$outdir" && cd "$outdir" && pwd)
rm -rf "$out/packs" "$out/logs" "$out/results" "$out/waves" "$out/tests.tsv" "$out/junit.xml" "$out/coverage.json"
mkdir -p "$out/packs" "$out/logs" "$out/results" "$out/waves"
printf '%s' "$tests${tests:+$'\n'}" >"$out/tests.tsv"
total=$(wc -l <"$out/tests.tsv")
if [ "$total" -eq 0 ]; then
  if [ -n "$test" ]; then
    echo "regress.sh: no test '$test' in sim/tests/$tier.list (any pack: make waves PACK=DIR, eie run DIR --engine both)" >&2
  else
    echo "regress.sh: no test of sim/tests/$tier.list matches --filter '$filter'" >&2
  fi
  exit 3
fi
echo "regress: tier $tier, shard $shard, $total tests, $jobs jobs, output $out"
echo "regress: RTL builds in $build/bin/eie: $("$build/bin/eie" params --rtl-builds 2>/dev/null | tr '\n' ' ')"
echo "regress: each test is generated and checked on the C model, then run on the RTL in lock-step"
echo "         with the C model (engine both) when an RTL build exists for its configuration"

# Packs are made in a scratch directory in memory (/dev/shm) when there is one: creating a
# pack's hundreds of files costs more than anything else on a disk file system. Failing packs
# (with --keep every pack) are then moved to OUT/packs. EIE_REGRESS_SCRATCH=DIR makes them in
# DIR instead, EIE_REGRESS_SCRATCH=none in OUT/packs.
scratch=${EIE_REGRESS_SCRATCH:-/dev/shm}
EIE_REGRESS_SCRATCH_DIR=
if [ "$scratch" != none ] && [ -d "$scratch" ] && [ -w "$scratch" ]; then
  EIE_REGRESS_SCRATCH_DIR=$(mktemp -d "$scratch/eie-regress.XXXXXX") || EIE_REGRESS_SCRATCH_DIR=
fi
[ -z "$EIE_REGRESS_SCRATCH_DIR" ] || trap 'rm -rf "$EIE_REGRESS_SCRATCH_DIR"' EXIT
export EIE_REGRESS_SCRATCH_DIR

t0=$EPOCHSECONDS
# Run, in batches of up to 64 tests a worker (about 6 batches a job, so that the jobs end
# together though a few tests take seconds: the RTL's 4096x4096 layer in make sim), batch b
# the tests b, b + nb, b + 2 nb, ... of the nb batches (a list's tests come configuration by
# configuration, and a large array's take several times as long: each batch takes its share of
# them); a progress line every 2 s.
batch=$(( total / (6 * jobs) ))
[ "$batch" -ge 1 ] || batch=1
[ "$batch" -le 64 ] || batch=64
# tests.tsv: three tab-separated fields a line (NAME, CONFIG, ARGS), each an argument.
awk -v nb=$(( (total + batch - 1) / batch )) '{ t[NR - 1] = $0 }
  END { for (b = 0; b < nb; b++) for (i = b; i < NR; i += nb) print t[i] }' "$out/tests.tsv" |
  tr '\t\n' '\0\0' |
  xargs -0 -n $((3 * batch)) -P "$jobs" "$here/regress.sh" --batch "$build" "$out" &
runner=$!
# A progress line every 2 s from a background loop (the run ends as soon as its last test
# does); the 2 s wait is a read timing out on a pipe nothing writes to (no process a line).
exec {tick}< <(exec sleep infinity)
tick_pid=$!
(
  while :; do
    rc=0
    read -r -t 2 -u "$tick" || rc=$?
    [ "$rc" -gt 128 ] || break # not a time-out: the pipe is gone, the run over
    results=("$out"/results/*.tsv)
    done_n=${#results[@]}
    [ -e "${results[0]}" ] || done_n=0
    echo "regress: $done_n/$total done ($(( EPOCHSECONDS - t0 )) s)"
  done
) &
progress_pid=$!
wait "$runner" || true
kill "$progress_pid" "$tick_pid" 2>/dev/null || true
wait "$progress_pid" 2>/dev/null || true
exec {tick}<&-

# Summary table, JUnit XML, failures with their reproduction commands.
fail=0 pass=0
junit="$out/junit.xml"
# The JUnit file is open on one descriptor for the whole loop (not opened again a test).
exec {jfd}>"$junit.tmp"
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuite name=\"sim.$tier\" tests=\"$total\">"
} >&"$jfd"
printf '\n%-34s %-8s %-7s %10s %-6s %8s\n' test config engine cycles result time
declare -A covsum=()
covnames=(queue_full stall bypass padding empty_column lnzd_idle multi_pass)
rtl_tests=0
while IFS=$'\t' read -r name cfg args; do
  r="$out/results/$name.tsv"
  if [ -f "$r" ]; then
    IFS=$'\t' read -r _ _ cycles result secs msg engine cov _ <"$r"
  else
    cycles=- result=fail secs=0 msg="did not run" engine=- cov=
  fi
  if [ "$cov" != - ] && [ -n "$cov" ]; then
    rtl_tests=$((rtl_tests + 1))
    i=0
    for v in $cov; do
      covsum[${covnames[$i]}]=$(( ${covsum[${covnames[$i]}]:-0} + v ))
      i=$((i + 1))
    done
  fi
  printf '%-34s %-8s %-7s %10s %-6s %7ss\n' "$name" "$cfg" "$engine" "$cycles" "$result" "$secs"
  esc=${msg//&/\&amp;}
  esc=${esc//</\&lt;}
  esc=${esc//>/\&gt;}
  esc=${esc//\"/\&quot;}
  if [ "$result" = pass ]; then
    pass=$((pass + 1))
    echo "  <testcase classname=\"sim.$tier.$cfg\" name=\"$name\" time=\"$secs\"/>" >&"$jfd"
  else
    fail=$((fail + 1))
    {
      echo "  <testcase classname=\"sim.$tier.$cfg\" name=\"$name\" time=\"$secs\">"
      echo "    <failure message=\"$esc\">rerun: $build/bin/eie run $out/packs/$name --engine auto (pack kept); waves: make waves TEST=$name TIER=$tier</failure>"
      echo "  </testcase>"
    } >&"$jfd"
  fi
done <"$out/tests.tsv"
echo '</testsuite>' >&"$jfd"
exec {jfd}>&-
sed -i "s/<testsuite name=\"sim.$tier\" tests=\"$total\">/<testsuite name=\"sim.$tier\" tests=\"$total\" failures=\"$fail\">/" "$junit.tmp"
mv "$junit.tmp" "$junit"

echo
echo "functional coverage over the $rtl_tests RTL runs (hits):"
cov_missing=0
for p in "${covnames[@]}"; do
  printf '  %-14s %12s\n' "$p" "${covsum[$p]:-0}"
  [ "${covsum[$p]:-0}" -gt 0 ] || cov_missing=$((cov_missing + 1))
done
{
  echo "{"
  for p in "${covnames[@]}"; do printf '  "%s": %s,\n' "$p" "${covsum[$p]:-0}"; done
  echo "  \"rtl_tests\": $rtl_tests"
  echo "}"
} >"$out/coverage.json"
echo
echo "regress: $pass passed, $fail failed in $(( EPOCHSECONDS - t0 )) s; JUnit XML: $junit"
if [ "$cov_missing" -gt 0 ] && [ "$sn" -eq 1 ] && [ "$filter" = . ] && [ -z "$test" ]; then
  echo "regress: $cov_missing coverage point(s) never hit by this tier"
  fail=$((fail + 1))
fi
if [ "$fail" -gt 0 ]; then
  echo "failures (log, then the reproduction command):"
  while IFS=$'\t' read -r name cfg args; do
    r="$out/results/$name.tsv"
    res=fail
    [ -f "$r" ] && res=$(cut -f4 "$r")
    [ "$res" = pass ] && continue
    grep -A12 '^MISMATCH' "$out/logs/$name.log" 2>/dev/null | sed 's/^/    /' || true
    seed=$(printf '%s' "$args" | sed -n 's/.*--seed \([0-9]*\).*/\1/p')
    echo "  $name (seed ${seed:-none}): $(grep -m1 -E "^(MISMATCH|ASSERTION|eie:)" "$out/logs/$name.log" 2>/dev/null || tail -n 1 "$out/logs/$name.log" 2>/dev/null)"
    if [ -d "$out/packs/$name" ]; then
      echo "    rerun: $build/bin/eie run $out/packs/$name --engine auto    (the pack is kept)"
      echo "    waves: make waves TEST=$name$([ "$tier" = default ] || echo " TIER=$tier")   or   make waves PACK=$out/packs/$name"
    else
      echo "    rerun: $build/bin/eie gen $args -o /tmp/$name && $build/bin/eie run /tmp/$name --engine auto"
    fi
    [ -f "$out/waves/$name.fst" ] && echo "    FST: $out/waves/$name.fst (view: $out/waves/$name.fst.gtkw)"
  done <"$out/tests.tsv"
  exit 1
fi

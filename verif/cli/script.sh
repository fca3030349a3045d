#!/usr/bin/env bash
# eie script: many eie commands in one process, each as `eie COMMAND ...` would run with its
# redirections; a status line each; the same packs and results as commands run one by one;
# bad lines and bad files refused with a message naming FILE:LINE.
set -u
. "$(dirname "$0")/lib.bash"

# The same two layers, made by two processes and by one script (a second gen in the same
# process starts its options and state over), then run.
mk() { echo "gen --random 40x24 --density 0.3 --pes 3 --fifo-depth 2 --seed $1 --no-hex -q -o $2"; }
for s in 2 5; do
  check "pack $s as a process of its own" \
    "$EIE" gen --random 40x24 --density 0.3 --pes 3 --fifo-depth 2 --seed $s --no-hex -q -o "$T/one$s"
done
{
  echo "# two packs, then their runs"
  mk 2 "$T/s2 >$T/g2.out 2>&1"
  echo
  mk 5 "$T/s5 > $T/g5.out 2> $T/g5.err"
  echo "run $T/s2 --json >$T/r2.json 2>>$T/g2.out"
  echo "run $T/s5 --json >$T/r5.json"
  echo "params --pes 3 --fifo-depth 2 2>&1 >$T/params.out"
} >"$T/ok.txt"
"$EIE" script "$T/ok.txt" >"$T/ok.st" 2>"$T/ok.err"
check "a status line a command: exit status and seconds" \
  eval '[ "$(grep -cE "^0 [0-9]+\.[0-9]{4}$" "$T/ok.st")" = 5 ] && [ "$(wc -l <"$T/ok.st")" = 5 ]'
check "nothing else on the script's own stdout and stderr" [ ! -s "$T/ok.err" ]
check "the first pack as a process of its own makes it" \
  [ "$(run_files "$T/s2")" = "$(run_files "$T/one2")" ]
check "the second too (options and state started over)" \
  [ "$(run_files "$T/s5")" = "$(run_files "$T/one5")" ]
check "the packs differ (the comparison above can fail)" \
  [ "$(run_files "$T/s2")" != "$(run_files "$T/s5")" ]
check "> and 2>&1 and 2>>: gen said nothing, run's JSON in its file" \
  eval '[ ! -s "$T/g2.out" ] && grep -q "\"match\":true" "$T/r2.json"'
check "the same JSON as eie run as a process of its own" \
  eval 'cmp -s <("$EIE" run "$T/s2" --json | sed "s/\"sim_seconds\":[^,]*//") <(sed "s/\"sim_seconds\":[^,]*//" "$T/r2.json")'
check "2>&1 before >: the command's stdout in the file" \
  eval 'grep -q "^NUM_PE" "$T/params.out"'

# A mismatch is the run's status (1), a bad line 3; the others still run; the script exits
# with the largest.
"$EIE" gen --random 40x24 --density 0.3 --pes 3 --fifo-depth 2 --seed 2 -q -o "$T/bad" &&
  cp "$T/s5/expected.npy" "$T/bad/expected.npy" 2>/dev/null
# expected.npy of another layer of the same shape: the run mismatches or its hash check
# refuses it (3); either way not 0.
{
  echo "run $T/bad >/dev/null 2>$T/bad.err"
  echo "gen --random 40x24 --bogus -o $T/x >/dev/null 2>$T/bogus.err"
  echo ">$T/nothing"
  echo "script $T/ok.txt"
  echo "run $T/s2 junk >$T/j.out stray"
  echo "run $T/s2 >"
  echo "run $T/s2 --json >$T/no/such/dir/r.json"
  echo "run $T/s2 --json >$T/last.json"
} >"$T/mixed.txt"
"$EIE" script "$T/mixed.txt" >"$T/mixed.st" 2>"$T/mixed.err"
rc=$?
mapfile -t st < <(cut -d' ' -f1 "$T/mixed.st")
check "a status for every line" [ "${#st[@]}" = 8 ]
check "the changed pack does not pass" [ "${st[0]}" != 0 ]
check "an unknown option: 3, gen's message in its file" \
  eval '[ "${st[1]}" = 3 ] && grep -q "bogus" "$T/bogus.err"'
check "no command, a script in a script, a word after the redirections, an operator without a file, a file that cannot be made: 3 each" \
  [ "${st[2]}${st[3]}${st[4]}${st[5]}${st[6]}" = 33333 ]
check "the lines after them still run" eval '[ "${st[7]}" = 0 ] && grep -q "\"match\":true" "$T/last.json"'
check "the script exits with the largest status" [ "$rc" = 3 ]
for want in "mixed.txt:3: no command" "mixed.txt:4: a script runs no script" \
  "mixed.txt:5: 'stray' comes after the redirections" "mixed.txt:6: '>' names no file" \
  "mixed.txt:7: cannot open $T/no/such/dir/r.json"; do
  check "one line names the file, the line and the problem: $want" grep -qF "$want" "$T/mixed.err"
done
check "and nothing else" [ "$(wc -l <"$T/mixed.err")" = 5 ]

# Commands from stdin; every command passing exits 0.
expect 0 "^0 [0-9.]+$" -- bash -c "echo 'run $T/s2 >/dev/null' | \"$EIE\" script -"
# Bad files: one line, exit 3.
expect1 3 "$T/missing.txt: cannot open" -- "$EIE" script "$T/missing.txt"
expect1 3 "$T: (cannot open|read failed)" -- "$EIE" script "$T"
expect_err 3 "usage: eie script FILE" -- "$EIE" script
expect 0 "usage: eie script FILE" -- "$EIE" script --help
finish

#!/usr/bin/env bash
# sim/regress.sh's packs: made with eie gen --no-hex (no run reads the $readmemh images), kept
# whole: with --keep, and for a failing test (made again with its images); its tests' commands
# run in eie script processes, a crashed script's tests again on their own.
#   regress_packs.sh EIE SCRATCH
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
root=$(cd "$here/../.." && pwd)

# A private copy of the driver with its own list, and a build folder whose eie records its
# calls and hands them to the real one; `run` fails while $T/fail_run exists. Its `script`
# runs each line as a command of its own (through itself), as eie script does in one process,
# and dies after the first while $T/crash_script exists (a crash).
mkdir -p "$T/sim/tests" "$T/b/bin" "$T/scratch"
cp "$root/sim/regress.sh" "$T/sim/regress.sh"
printf '%s\n' 'two_a  --random 40x24 --density 0.3 --pes 3 --fifo-depth 2 --seed 2' \
  'two_b  --random 24x40 --density 0.5 --pes 3 --fifo-depth 1 --seed 3' >"$T/sim/tests/t.list"
# Twelve tests: on one job, batches of two (about 6 batches a job; a script then holds a test
# after its first).
for s in $(seq 12); do echo "many_$s --random 20x16 --pes 2 --fifo-depth 1 --seed $s"; done \
  >"$T/sim/tests/many.list"
cat >"$T/b/bin/eie" <<EOF
#!/usr/bin/env bash
if [ "\$1" = script ]; then
  echo script >>"$T/calls.txt"
  while read -r line; do
    rc=0
    eval "\"\$0\" \$line" || rc=\$?
    echo "\$rc 0.0010"
    [ ! -e "$T/crash_script" ] || kill -SEGV \$\$
  done <"\$2"
  exit 0
fi
echo "\$*" >>"$T/calls.txt"
if [ "\$1" = run ] && [ -e "$T/fail_run" ]; then echo "eie: MISMATCH (made to fail)" >&2; exit 1; fi
exec "$EIE" "\$@"
EOF
chmod +x "$T/b/bin/eie"
export EIE_REGRESS_SCRATCH=$T/scratch
# regress OUT [ARGS...]: the private driver on the list, quietly.
regress() {
  local o=$1
  shift
  rm -f "$T/calls.txt"
  "$T/sim/regress.sh" --build "$T/b" --tier t --jobs 2 --out "$T/$o" "$@" >"$T/$o.log" 2>&1
}
# gens PATTERN: how many eie gen calls match PATTERN (grep -E).
gens() { grep -E '^gen ' "$T/calls.txt" | grep -cE -- "$1"; }
# whole PACK: eie check finds the pack sound, with its $readmemh images.
whole() { "$EIE" check "$1" 2>&1 | grep -q 'with \$readmemh images)'; }

regress pass
check "passing tests pass" grep -q 'regress: 2 passed, 0 failed' "$T/pass.log"
check "their commands run in eie script" grep -q '^script$' "$T/calls.txt"
check "their packs are made with --no-hex" [ "$(gens ' --no-hex ')" = 2 ]
check "and none is made twice" [ "$(gens .)" = 2 ]
check "and none is kept" [ -z "$(ls "$T/pass/packs")" ]

regress keep --keep
check "--keep: the packs are made whole" [ "$(gens ' --no-hex ')" = 0 ]
check "--keep: the kept packs are whole" whole "$T/keep/packs/two_a"

touch "$T/fail_run"
regress fail
check "failing tests fail" grep -q 'regress: 0 passed, 2 failed' "$T/fail.log"
check "a failing test's pack is made with --no-hex, then again without" \
  [ "$(gens ' --no-hex ')" = 2 ] && check "  (two more eie gen calls)" [ "$(gens .)" = 4 ]
check "a failing test's pack is kept whole" whole "$T/fail/packs/two_a"
check "  the other one too" whole "$T/fail/packs/two_b"
"$EIE" gen --random 40x24 --density 0.3 --pes 3 --fifo-depth 2 --seed 2 --no-hex -q -o "$T/nohex_a"
check "its files but the images are those of the --no-hex pack that failed" \
  [ "$(run_files "$T/fail/packs/two_a")" = "$(run_files "$T/nohex_a")" ]

# The check above can fail: a driver that keeps the failing pack as made (no second eie gen)
# keeps one without images.
sed -i 's/! "$eie" gen "$@" -q -o "$pack"/false/' "$T/sim/regress.sh"
check "(the changed driver differs)" eval '! cmp -s "$root/sim/regress.sh" "$T/sim/regress.sh"' 
regress broken
check "a driver that does not make the pack again keeps one without images" \
  eval '! whole "$T/broken/packs/two_a" && "$EIE" check "$T/broken/packs/two_a" | grep -q "without .hex files"'
rm -f "$T/fail_run"
cp "$root/sim/regress.sh" "$T/sim/regress.sh"

# A script that dies (a crash in one test) leaves its other tests to run on their own; so do
# all tests when a path holds a blank (a script's words hold none).
touch "$T/crash_script"
regress crash --tier many --jobs 1
check "tests a crashed script left run on their own and pass" \
  grep -q 'regress: 12 passed, 0 failed' "$T/crash.log"
check "  (each test's gen once more at most)" [ "$(gens .)" -le 24 ]
rm -f "$T/crash_script"
regress "blank out"
check "an output path with a blank: the tests pass, each command a process of its own" \
  eval 'grep -q "regress: 2 passed, 0 failed" "$T/blank out.log" && ! grep -q "^script$" "$T/calls.txt"'
# The check above can fail: a driver that runs nothing on its own after a script's crash
# fails the tests the script did not finish.
sed -i 's/alone "${names\[i\]}" "${configs\[i\]}" ${argv\[i\]} # eie script stopped/: # eie script stopped/' \
  "$T/sim/regress.sh"
check "(the changed driver differs)" eval '! cmp -s "$root/sim/regress.sh" "$T/sim/regress.sh"'
touch "$T/crash_script"
regress crash_broken --tier many --jobs 1
check "a driver without the fallback fails the tests a crashed script left" \
  grep -qE 'regress: [0-9]+ passed, [1-9][0-9]* failed' "$T/crash_broken.log"
finish

#!/usr/bin/env bash
# sim/regress.sh --list: how a test list expands (names, configurations, eie gen arguments),
# pinned, so that a tier runs the same tests from one release to the next; its errors.
#   regress_list.sh EIE SCRATCH
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.bash"
root=$(cd "$here/../.." && pwd)

# A private copy of the driver with its own lists (the driver reads SCRIPT_DIR/tests).
mkdir -p "$T/sim/tests"
cp "$root/sim/regress.sh" "$T/sim/regress.sh"
R=$T/sim/regress.sh
printf '%s\n' '# a comment line' \
  '@random soak_pe2_f1 1000 --pes 2 --fifo-depth 1   # a trailing comment' '' \
  'directed_one   --random 64x64 --density 0.2 --pes 4 --fifo-depth 2' \
  '@include more.list' >"$T/sim/tests/t.list"
printf '%s\n' 'no_pes_named  --example paper' \
  '@random paper 50 --pes 64 --fifo-depth 8' >"$T/sim/tests/more.list"

# The expansion, as the list format defines it (the digest of the lines that the earlier
# bash expansion printed for these two files).
want=0d272fadb0a73be2f1da72492014778cded290d4290211c219d3dae2ccc2f221
"$R" --tier t --list >"$T/t.tsv"
check "the list expands to 1,052 tests" [ "$(wc -l <"$T/t.tsv")" = 1052 ]
check "the expansion is the pinned one" [ "$(sha256sum <"$T/t.tsv" | cut -d' ' -f1)" = "$want" ]
check "a random test: shape, densities and seed from its index" \
  grep -qxF "$(printf 'fc_351x30_d38_s1_soak_pe2_f1\tsoak_pe2_f1\t--random 351x30 --density 0.38 --act-density 0.23 --seed 1 --pes 2 --fifo-depth 1')" "$T/t.tsv"
check "a directed test: its configuration from --pes" \
  grep -qxF "$(printf 'directed_one\tpe4\t--random 64x64 --density 0.2 --pes 4 --fifo-depth 2')" "$T/t.tsv"
check "a directed test without --pes: pe64" \
  grep -qxF "$(printf 'no_pes_named\tpe64\t--example paper')" "$T/t.tsv"
# Selection: --shard and --filter apply to --list as to a run.
check "--shard 3/7 lists every 7th test from the 3rd" \
  [ "$("$R" --tier t --list --shard 3/7)" = "$(awk 'NR % 7 == 3' "$T/t.tsv")" ]
check "--filter selects by line" \
  [ "$("$R" --tier t --list --filter 'paper')" = "$(grep paper "$T/t.tsv")" ]
check "a filter matching nothing lists nothing" [ -z "$("$R" --tier t --list --filter no_such_test)" ]
# Run where the default build directory (./build) does not exist.
before=$(snap "$T")
check "--list needs no build" bash -c "cd '$T' && '$R' --tier t --list >/dev/null"
unchanged "--list" "$before" "$(snap "$T")"

# The pin catches a changed formula: the same lists through a driver whose row formula
# differs give another digest.
sed 's/s \* 7919/s * 7917/' "$R" >"$T/sim/regress_changed.sh"
chmod +x "$T/sim/regress_changed.sh"
check "a changed formula changes the digest" \
  [ "$("$T/sim/regress_changed.sh" --tier t --list | sha256sum | cut -d' ' -f1)" != "$want" ]

# Errors: exit 3 and one line.
printf '%s\n' 'first --example paper' '@include missing.list' >"$T/sim/tests/bad.list"
expect1 3 'regress.sh: cannot read .*missing.list' -- "$R" --tier bad --list
expect1 3 'regress.sh: no test list .*nosuch.list' -- "$R" --tier nosuch --list
expect1 3 "regress.sh: --shard '0' is not i/N" -- "$R" --tier t --list --shard 0
finish

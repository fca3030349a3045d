#!/usr/bin/env bash
# Outputs never destroy what eie did not write: -o replaces only packs or empty directories
# (--force: any directory, never one holding an input), no output lands on an input or inside
# a pack being read, files are replaced atomically (a failed run leaves the old one), every
# write is checked (stdout included). Each case also checks that nothing else changed.
set -u
. "$(dirname "$0")/lib.bash"
"$EIE" gen --random 20x16 --density 0.3 --pes 3 --fifo-depth 2 -q -o "$T/P"

# 1: -o an existing directory that is not a pack: refused; --force replaces it.
mkdir "$T/d" && echo x >"$T/d/keep"
before=$(snap "$T")
expect1 3 "d: is not empty and not an eie pack .*refusing to replace it \(--force" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/d"
unchanged "gen -o a non-pack directory" "$before" "$(snap "$T")"
before=$(snap "$T" "$T/d")
expect 0 "8x8 layer" -- "$EIE" gen --random 8x8 --pes 2 --force -o "$T/d"
check "--force replaced the directory by a pack" test -f "$T/d/manifest.json" -a ! -e "$T/d/keep"
unchanged "gen --force -o DIR" "$before" "$(snap "$T" "$T/d")"
# An empty directory, and a pack, are replaced; a pack holding a file its manifest does not list is not.
mkdir "$T/empty"
expect 0 "8x8 layer" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/empty"
expect 0 "8x8 layer" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/empty"
echo notes >"$T/empty/notes.txt"
before=$(snap "$T")
expect1 3 "empty: holds notes.txt, which its manifest does not list" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/empty"
unchanged "gen -o a pack holding other files" "$before" "$(snap "$T")"

# 2: -o the folder holding the spec and its inputs: refused, with --force too.
mkdir "$T/net"
$PY - "$T/net" <<'PY'
import json, sys
import numpy as np
d = sys.argv[1]
r = np.random.default_rng(3)
np.save(d + "/w.npy", r.normal(0, 0.1, (12, 10))); np.save(d + "/a.npy", np.abs(r.normal(0, 1, 10)))
json.dump({"schema": "eie-network", "schema_version": 1, "input": "a.npy", "layers": [{"weights": "w.npy"}]},
          open(d + "/net.json", "w"))
PY
before=$(snap "$T")
expect1 3 "net: is not empty and not an eie pack" -- "$EIE" gen --network "$T/net/net.json" -o "$T/net"
expect1 3 "net: holds .*net.json, which this command reads" -- "$EIE" gen --network "$T/net/net.json" --force -o "$T/net"
expect1 3 "net: holds .*w.npy, which this command reads" -- "$EIE" gen --weights "$T/net/w.npy" --input "$T/net/a.npy" --force -o "$T/net"
expect1 3 "P: holds .*P/manifest.json, which this command reads" -- "$EIE" gen --config "$T/P/manifest.json" --random 8x8 -o "$T/P"
unchanged "gen -o over its own inputs" "$before" "$(snap "$T")"
expect 0 "10x12|12x10" -- "$EIE" gen --network "$T/net/net.json" --pes 2 -o "$T/net/pack"

# 3: run --trace aimed at a pack file: refused; a trace elsewhere is written, and replaced whole.
before=$(snap "$T")
expect1 3 "run: --trace .*P/manifest.json: is inside .*P, which this command reads" -- "$EIE" run "$T/P" --trace "$T/P/manifest.json"
expect1 3 "run: --trace .*P/new.vcd: is inside .*P, which this command reads" -- "$EIE" run "$T/P" --trace "$T/P/new.vcd"
expect1 3 "run: --trace /dev/full: exists and is a character device" -- "$EIE" run "$T/P" --trace /dev/full
expect1 3 "run: --trace .*d: is a directory" -- "$EIE" run "$T/P" --trace "$T/d"
unchanged "run --trace onto the pack" "$before" "$(snap "$T")"
echo old >"$T/w.vcd"
before=$(snap "$T" "$T/w.vcd")
expect 0 "match" -- "$EIE" run "$T/P" --trace "$T/w.vcd"
check "the VCD replaced the old file" grep -q '\$timescale' "$T/w.vcd"
unchanged "run --trace FILE" "$before" "$(snap "$T" "$T/w.vcd")"

# 4: sweep -o aimed at a pack file: refused.
before=$(snap "$T")
expect1 3 "sweep: -o .*P/manifest.json: is inside .*P, which this command reads" -- "$EIE" sweep "$T/P" --pes 1 --fifo-depth 1 -o "$T/P/manifest.json"
unchanged "sweep -o into the pack" "$before" "$(snap "$T")"

# 5: a failed sweep leaves an existing -o file as it was (and no temporary file).
echo data >"$T/old.csv"
before=$(snap "$T")
expect1 3 "PTR_DEPTH is 2" -- "$EIE" sweep --random 64x64 --pes 1 --fifo-depth 1 --memories fixed --param PTR_DEPTH=2 -q -o "$T/old.csv"
unchanged "a failed sweep" "$before" "$(snap "$T")"
chmod 640 "$T/old.csv"
before=$(snap "$T" "$T/old.csv")
expect 0 "2 points" -- "$EIE" sweep --random 8x8 --pes 1,2 --fifo-depth 1 -o "$T/old.csv"
check "a good sweep replaced the file, keeping its mode" test "$(head -c 6 "$T/old.csv")$(stat -c %a "$T/old.csv")" = "layer,640"
unchanged "sweep -o FILE" "$before" "$(snap "$T" "$T/old.csv")"

# 6: writes are checked: a device is refused as -o, a full stdout is an error.
expect1 3 "sweep: -o /dev/full: exists and is a character device" -- "$EIE" sweep --random 8x8 --pes 1,2 --fifo-depth 1 -o /dev/full
expect1 3 "stdout: write failed: No space left" -- sh -c '"$0" sweep --random 8x8 --pes 1,2 --fifo-depth 1 -q >/dev/full' "$EIE"
expect1 3 "stdout: write failed: No space left" -- sh -c '"$0" gen --random 8x8 --pes 2 -o "$1" >/dev/full' "$EIE" "$T/full_gen"
expect1 3 "stdout: write failed: No space left" -- sh -c '"$0" run "$1" --json >/dev/full' "$EIE" "$T/P"
expect1 3 "stdout: write failed: No space left" -- sh -c '"$0" trace --example paper >/dev/full' "$EIE"
expect1 3 "stdout: write failed: No space left" -- sh -c '"$0" params >/dev/full' "$EIE"
check "gen -q with nothing to print does not fail on a full stdout" sh -c '"$0" gen -q --random 8x8 --pes 2 -o "$1" >/dev/full' "$EIE" "$T/quiet_gen"

# Names: '.', a trailing slash, a symbolic link, a file, a missing parent.
mkdir -p "$T/dot" && cp -r "$T/P/." "$T/dot/"
before=$(snap "$T")
expect1 3 "\.: name the pack directory itself, not '.', '..' or '/'" -- sh -c 'cd "$1/dot" && "$0" gen --random 8x8 --pes 2 -o .' "$EIE" "$T"
ln -s P "$T/link"
expect1 3 "link: is a symbolic link; give the directory itself" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/link"
expect1 3 "old.csv: exists and is not a directory" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/old.csv"
expect1 3 "no/such/pack: cannot create: No such file or directory" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/no/such/pack"
unchanged "refused -o names" "$before" "$(snap "$T" "$T/link")"
expect 0 "8x8 layer" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/slash/"
check "-o DIR/ wrote DIR and nothing beside it" test -f "$T/slash/manifest.json" -a -z "$(ls "$T" | grep -E '^slash.')"

# 12: an old pack that cannot be fully removed is reported; the new pack is in place.
# A failed replacement reports the real error and leaves the old pack. Needs an immutable
# file (root with chattr) or a read-only subdirectory (not root).
"$EIE" gen -q --random 8x8 --pes 2 -o "$T/locked"
if [ "$(id -u)" = 0 ] && touch "$T/locked/.probe" && chattr +i "$T/locked/.probe" 2>/dev/null; then
  chattr -i "$T/locked/.probe"; rm -f "$T/locked/.probe"
  chattr +i "$T/locked/stats.json"
  before=$(snap "$T" "$T/locked" "$T/locked.tmp.*")
  expect1 3 "locked: the new pack is in place, but the old one was not fully removed \(.*stats.json: Operation not permitted\); what is left of it is in .*locked\.(tmp|old)\." -- "$EIE" gen --random 8x8 --pes 2 --seed 2 -o "$T/locked"
  expect 0 "match" -- "$EIE" run "$T/locked"
  unchanged "a pack replaced over an immutable file" "$before" "$(snap "$T" "$T/locked" "$T/locked.tmp.*")"
  for f in "$T"/locked.*/stats.json; do chattr -i "$f"; done
  rm -rf "$T"/locked.*
  chattr +i "$T/locked"
  before=$(snap "$T")
  expect1 3 "locked: cannot replace: Operation not permitted" -- "$EIE" gen --random 8x8 --pes 2 -o "$T/locked"
  unchanged "a refused replacement" "$before" "$(snap "$T")"
  chattr -i "$T/locked"
elif [ "$(id -u)" != 0 ]; then
  rm -f "$T/locked/.probe"
  mkdir "$T/locked/ro" && echo x >"$T/locked/ro/f" && chmod 555 "$T/locked/ro"
  expect1 3 "locked: the new pack is in place, but the old one was not fully removed \(.*ro/f: Permission denied\)" -- "$EIE" gen --random 8x8 --pes 2 --force -o "$T/locked"
  expect 0 "match" -- "$EIE" run "$T/locked"
  chmod -R u+w "$T"/locked.*
  rm -rf "$T"/locked.*
else
  rm -f "$T/locked/.probe"
  echo "skip: running as root where chattr does not work: the removal-failure case needs an immutable file"
fi
finish

#!/usr/bin/env bash
# Command-line numbers are decimal only (no octal, hexadecimal, signs, spaces or leading
# zeros: `--pes 010` is refused, not read as 8); usage errors go to stderr with exit 3.
set -u
. "$(dirname "$0")/lib.bash"
expect 0 "10 PEs" -- "$EIE" gen --random 8x8 --pes 10 -o "$T/ok"
expect1 3 "--pes '010' is not an integer in 1..256 \(decimal digits, no leading zeros\)" -- "$EIE" gen --random 8x8 --pes 010 -o "$T/x"
expect1 3 "--pes '0x8' is not an integer" -- "$EIE" gen --random 8x8 --pes 0x8 -o "$T/x"
expect1 3 "--pes '\+8' is not an integer" -- "$EIE" gen --random 8x8 --pes +8 -o "$T/x"
expect1 3 "--pes ' 8' is not an integer" -- "$EIE" gen --random 8x8 --pes " 8" -o "$T/x"
expect1 3 "--fifo-depth '08' is not an integer" -- "$EIE" gen --random 8x8 --fifo-depth 08 -o "$T/x"
expect1 3 "--param '0x100' is not an integer" -- "$EIE" gen --random 8x8 --param PTR_DEPTH=0x100 -o "$T/x"
expect1 3 "--param '010' is not an integer" -- "$EIE" gen --random 8x8 --param RF_DEPTH=010 -o "$T/x"
expect1 3 "--seed '010' is not an integer" -- "$EIE" gen --random 8x8 --seed 010 -o "$T/x"
expect1 3 "--seed '-1' is not an integer" -- "$EIE" gen --random 8x8 --seed -1 -o "$T/x"
expect1 3 "--weight-frac '0xa' is not an integer" -- "$EIE" gen --random 8x8 --weight-frac 0xa -o "$T/x"
expect1 3 "--random '08x8' is not MxK" -- "$EIE" gen --random 08x8 -o "$T/x"
expect1 3 "--random '\+8x8' is not MxK" -- "$EIE" gen --random +8x8 -o "$T/x"
expect1 3 "--random '8x-8' is not MxK" -- "$EIE" gen --random 8x-8 -o "$T/x"
expect1 3 "--random-net '8,08,4' is not 2..17 widths" -- "$EIE" gen --random-net 8,08,4 -o "$T/x"
expect1 3 "--random-net '8,4,' is not 2..17 widths" -- "$EIE" gen --random-net 8,4, -o "$T/x"
expect1 3 "--density '0x1p-3' is not a number in \[0, 1\] \(decimal\)" -- "$EIE" gen --random 8x8 --density 0x1p-3 -o "$T/x"
expect1 3 "--act-density 'nan' is not a number" -- "$EIE" gen --random 8x8 --act-density nan -o "$T/x"
expect1 3 "--max-cycles '010' is not an integer" -- "$EIE" run "$T/ok" --max-cycles 010
expect1 3 "--max-cycles '1e6' is not an integer" -- "$EIE" run "$T/ok" --max-cycles 1e6
expect1 3 "--pes '04' is not an integer" -- "$EIE" trace --example paper --pes 04
expect1 3 "sweep: --pes '01,2' is not a comma-separated list of integers in 1..256 \(decimal" -- "$EIE" sweep --random 8x8 --pes 01,2
expect1 3 "sweep: --fifo-depth '1,0x2' is not a comma-separated list" -- "$EIE" sweep --random 8x8 --fifo-depth 1,0x2
expect1 3 "sweep: --seed '07' is not a non-negative integer" -- "$EIE" sweep --random 8x8 --seed 07
expect1 3 "sweep: --param 'RF_DEPTH=064' is not NAME=VALUE \(VALUE a decimal integer\)" -- "$EIE" sweep --random 8x8 --param RF_DEPTH=064
expect1 3 "sweep: --random '8x08' is not MxK" -- "$EIE" sweep --random 8x08
# Usage errors: stderr only, exit 3; help on stdout, exit 0.
expect_err 3 "eie: params: unknown option '--bogus'" -- "$EIE" params --bogus
expect_err 3 "usage: eie params" -- "$EIE" params --bogus
expect 0 "usage: eie params" -- "$EIE" params --help
expect_err 3 "see 'eie gen --help'" -- "$EIE" gen --bogus
expect_err 3 "unknown option '--bogus'" -- "$EIE" sweep --random 8x8 --bogus
expect_err 3 "see 'eie run --help'" -- "$EIE" run --bogus
expect_err 3 "see 'eie trace --help'" -- "$EIE" trace --bogus
expect_err 3 "give exactly one pack directory" -- "$EIE" run
expect_err 3 "unknown command 'frobnicate'" -- "$EIE" frobnicate
expect_err 3 "usage: eie COMMAND" -- "$EIE"
finish

#!/usr/bin/env bash
# Help texts, command-line mistakes, and the trace of the paper's example.
set -u
. "$(dirname "$0")/lib.bash"
expect 0 "usage: eie COMMAND" -- "$EIE" --help
expect 0 "usage: eie gen" -- "$EIE" gen --help
expect 0 "usage: eie run" -- "$EIE" run --help
expect 0 "usage: eie trace" -- "$EIE" trace --help
expect 0 "PARAM_HASH|default parameter hash" -- "$EIE" params
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
finish

#!/usr/bin/env bash
# CTest wrapper of sweep.py: a small sweep, and a PNG that exists.
# Exit 77 (skipped) when the interpreter lacks numpy or matplotlib.
#   examples/python/run_test.sh PYTHON OUTDIR
set -euo pipefail
py=$1
out=$2
if ! "$py" -c "import numpy, matplotlib" 2>/dev/null; then
  echo "python sweep skipped: $py lacks numpy or matplotlib (python3-numpy, python3-matplotlib)"
  exit 77
fi
mkdir -p "$out"
rm -f "$out/sweep.png"
"$py" "$(dirname "$0")/sweep.py" -o "$out/sweep.png" --size 512 --pes 1,4,16 --fifo-depth 1,8
"$py" -c "import sys, matplotlib.image as m; a = m.imread(sys.argv[1]); assert a.shape[0] > 300 and a.shape[1] > 800, a.shape" "$out/sweep.png"

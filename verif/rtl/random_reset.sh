#!/usr/bin/env bash
# The lock-step regression's directed cases with random initial values in every
# RTL register and memory (Verilator --x-initial unique), under several seeds.
#   random_reset.sh BUILD WORKDIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 work=$2
status=0
for seed in 1 2 3; do
  echo "== EIE_RTL_SEED=$seed =="
  EIE_RTL_SEED=$seed "$root/sim/regress.sh" --build "$build" --tier default --jobs 2 \
    --filter '^(paper_example|edge_queue_stall|edge_multipass_output|edge_long_input|net_3layer_small|fc_[0-9x]+_d[0-9]+_s[12]_)' \
    --out "$work/seed$seed" | grep -E "^regress: [0-9]+ passed|FAIL|MISMATCH|ASSERTION" || status=1
done
exit $status

#!/usr/bin/env bash
# Fashion-MNIST end to end on the EIE model (make fashion-mnist):
#   1. train a 784-300-100-10 MLP in float, prune it, retrain with the mask (train.py)
#   2. compress it for 64 PEs / FIFO 8: eie gen --network (4-bit codebooks, 16-bit fixed point)
#   3. run every test image on the C model, the first 200 also on the Verilated RTL (eie_batch)
#   4. print the results table (report.py), also written to OUT/results.md
#
#   run.sh [--quick] BUILD_DIR
# --quick: 6,000 training images, 2+1 epochs, 500 test images, 20 on the RTL, an accuracy
# floor of 70 % (the CTest example), always trained afresh. The full run reuses its training
# while train.py and its arguments are unchanged (OUT/net/stamp; delete OUT/net to retrain).
# Exit 77 when the data set or NumPy is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
build=${1:?usage: run.sh [--quick] BUILD_DIR}
build=$(cd "$build" && pwd)
data=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
py=/usr/bin/python3   # Debian's interpreter, the one with python3-numpy

if [ ! -f "$data/t10k-images-idx3-ubyte.gz" ]; then
  echo "fashion-mnist: no data set in $data (Debian package dataset-fashion-mnist; make deps)" >&2
  exit 77
fi
if ! "$py" -c 'import numpy' 2>/dev/null; then
  echo "fashion-mnist: $py has no NumPy (Debian package python3-numpy; make deps)" >&2
  exit 77
fi
for t in eie eie_batch; do
  [ -x "$build/bin/$t" ] || { echo "fashion-mnist: $build/bin/$t is not built (make build)" >&2; exit 3; }
done

if [ $quick = 1 ]; then
  out=$build/fashion_mnist_quick
  train_args=(--train-limit 6000 --epochs 2 --retrain-epochs 1 --test-limit 500)
  batch_args=(--rtl 20 --min-accuracy 70)
else
  out=$build/fashion_mnist
  train_args=()
  batch_args=(--rtl 200)
fi
# A build without the Verilated RTL (EIE_WITH_RTL=OFF) runs the C model only.
if ! "$build/bin/eie_batch" --help | grep -q '^RTL: built in'; then
  echo "fashion-mnist: $build/bin/eie_batch has no Verilated RTL (EIE_WITH_RTL=OFF): C model only"
  batch_args+=(--rtl 0)
fi
mkdir -p "$out"
# Single-threaded BLAS: deterministic sums, and the machine's cores stay shared.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
t_start=$(date +%s)

stamp="$(sha256sum "$here/train.py" | cut -d' ' -f1) ${train_args[*]:-} $data"
if [ $quick = 0 ] && [ -f "$out/net/stamp" ] && [ "$(cat "$out/net/stamp")" = "$stamp" ] &&
   [ -f "$out/net/train.json" ]; then
  echo "== 1. training: reusing $out/net (train.py and its arguments unchanged; delete it to retrain)"
else
  echo "== 1. training in float (NumPy)"
  rm -rf "$out/net"
  "$py" "$here/train.py" --data "$data" --out "$out/net" "${train_args[@]}"
  echo "$stamp" > "$out/net/stamp"
fi

echo "== 2. compression: eie gen --network (64 PEs, FIFO 8)"
"$build/bin/eie" gen --network "$out/net/network.json" --calibrate "$out/net/calib_set.npy" \
  --pes 64 --fifo-depth 8 -o "$out/pack"

echo "== 3. inference on the C model and the RTL"
rc=0
rm -f "$out/batch.json"
"$build/bin/eie_batch" "$out/pack" "$out/net/test_images.npy" "$out/net/test_labels.npy" \
  --json "$out/batch.json" "${batch_args[@]}" || rc=$?

[ -f "$out/batch.json" ] || exit $(( rc ? rc : 1 ))
echo "== 4. results"
"$py" "$here/report.py" "$out/net/train.json" "$out/batch.json" $(( $(date +%s) - t_start )) \
  | tee "$out/results.md"
exit $rc

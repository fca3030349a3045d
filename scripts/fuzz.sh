#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang, ASan + UBSan) and run each for a bounded
# time from its committed seed corpus (verif/fuzz/corpus/<name>).
#   scripts/fuzz.sh OUTDIR [SECONDS]      (default 60 s each; CI uses a few seconds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
secs=${2:-60}
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$root/cmodel/include -I$root/cmodel/hw -I$root/cmodel/fast -I$root/cmodel/tools/lib"
libs="$(pkg-config --libs jansson nettle) -lm -pthread"
model=$(ls "$root"/cmodel/src/*.c "$root"/cmodel/hw/*.c "$root"/cmodel/fast/*.c)
tool=$(ls "$root"/cmodel/tools/lib/*.c)
status=0
for h in npy manifest hex netspec events diff; do
  clang $flags -std=c11 -D_POSIX_C_SOURCE=200809L -o "$out/fuzz_$h" "$root/verif/fuzz/fuzz_$h.c" $model $tool $libs
  mkdir -p "$out/corpus_$h"
  cp -n "$root"/verif/fuzz/corpus/$h/* "$out/corpus_$h/" 2>/dev/null || true
  echo "fuzz: $h for ${secs}s"
  if ! "$out/fuzz_$h" -max_total_time="$secs" -print_final_stats=1 -timeout=30 -rss_limit_mb=4096 \
      -artifact_prefix="$out/crash_${h}_" "$out/corpus_$h" >"$out/fuzz_$h.log" 2>&1; then
    echo "fuzz: $h FAILED, see $out/fuzz_$h.log and $out/crash_${h}_*"
    grep -m5 -E "ERROR|SUMMARY|abort" "$out/fuzz_$h.log" || true
    status=1
  else
    grep -E "stat::number_of_executed_units|cov: " "$out/fuzz_$h.log" | tail -2 | sed 's/^/  /'
  fi
done
exit $status

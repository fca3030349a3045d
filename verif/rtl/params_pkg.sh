#!/usr/bin/env bash
# The SystemVerilog package rtl/eie_params_pkg.sv is generated from eie_params.def and
# eie_regs.def (`eie params --sv`) and checked in: regenerate it and compare.
#   params_pkg.sh EIE PKG              exit 0 when PKG is what EIE generates, 1 with the diff
#   params_pkg.sh EIE PKG --stale DIR  the comparison must fail on altered copies of PKG
#                                      (a register offset, a descriptor field, an enum value,
#                                      a missing line): exit 0 when it fails on every one
set -euo pipefail
eie=$1 pkg=$2
check() { "$eie" params --sv | diff -u "$1" -; }
if [ "${3:-}" != --stale ]; then
  check "$pkg"
  exit
fi
work=$4
mkdir -p "$work"
status=0
n=0
alter() { # NAME SED-SCRIPT: a copy of PKG through the script must differ and fail the check
  local copy="$work/$1.sv"
  sed "$2" "$pkg" >"$copy"
  n=$((n + 1))
  if cmp -s "$pkg" "$copy"; then
    echo "params_pkg: alteration '$1' changed nothing (its pattern no longer matches)" >&2
    status=1
  elif check "$copy" >"$work/$1.diff"; then
    echo "params_pkg: a package with '$1' altered passed the check" >&2
    status=1
  else
    echo "params_pkg: '$1' altered: caught ($(grep -c '^[-+][^-+]' "$work/$1.diff") lines differ)"
  fi
}
alter reg_offset "s/RegNumLayers = 12'h028/RegNumLayers = 12'h02c/"
alter desc_field "s/DescShiftLsb = 232/DescShiftLsb = 233/"
alter enum_value "s/BusBusy = 2'd2/BusBusy = 2'd3/"
alter missing_line "/localparam int DescW = /d"
alter param_default "s/parameter int NumPe = 64;/parameter int NumPe = 32;/"
echo "params_pkg: $n stale copies checked"
exit $status
